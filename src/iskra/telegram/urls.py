from django.urls import path

from . import views

app_name = "telegram"
urlpatterns = [
    path("", views.PostsView.as_view(), name="posts"),
    path("<int:post_id>/retry/", views.retry_view, name="retry"),
]
