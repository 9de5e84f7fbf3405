from django.urls import path

from . import background_views

app_name = "core_background"
urlpatterns = [
    path("", background_views.BackgroundWorkView.as_view(), name="work"),
    path("<uuid:pk>/retry/", background_views.retry_view, name="retry"),
]
