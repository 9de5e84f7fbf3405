"""Admin URLs of the membership inbox (mounted under /admin/members/ by a Wagtail hook)."""

from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:number>/", views.ApplicationView.as_view(), name="application"),
    path("export/", views.export_view, name="export"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
]
