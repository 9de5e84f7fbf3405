from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("editions/", views.EditionsView.as_view(), name="editions"),
    path("editions/<int:page_id>/rebuild/", views.rebuild_view, name="rebuild"),
]
