from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("volumes/", views.VolumesView.as_view(), name="volumes"),
    path("volumes/<int:event_id>/rebuild/", views.rebuild_view, name="rebuild"),
]
