"""The membership inbox and audit log in the Wagtail admin, shown only to those allowed."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from iskra.core.schedule import Job

from . import services, urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("members/", include(urls, namespace="members"))]


class SecretaryMenuItem(MenuItem):
    def is_shown(self, request):
        return services.can_process(request.user)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return SecretaryMenuItem(
        _("Applications"), reverse("members:inbox"), icon_name="mail", order=250
    )


@hooks.register("register_settings_menu_item")
def register_audit_log_menu_item():
    return SuperuserMenuItem(
        _("Membership audit log"), reverse("members:audit_log"), icon_name="history", order=900
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant "process membership applications" to a group."""
    return Permission.objects.filter(
        content_type__app_label="members", codename="process_application"
    )


@hooks.register("iskra_scheduled_jobs")
def register_retention_job():
    """Delete expired applications hourly (the retention period is counted in days)."""

    def run():
        deleted = services.delete_expired_applications()
        return f"{deleted} expired applications deleted" if deleted else ""

    return [Job("delete_expired_applications", 3600, run)]
