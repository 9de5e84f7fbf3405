from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from iskra.core.contracts import edition_source_for
from iskra.core.schedule import Job

from . import services, urls
from .models import Edition, EditionStatus


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("publishing/", include(urls, namespace="publishing"))]


@hooks.register("register_reports_menu_item")
def register_editions_report():
    return MenuItem(_("Editions"), reverse("publishing:editions"), icon_name="doc-full", order=910)


@hooks.register("register_page_header_buttons")
def edition_status_button(page, user, view_name, next_url=None):
    """Show a page's edition status in its menu, linking to the editions report."""
    if edition_source_for(page) is None:
        return
    statuses = set(Edition.objects.filter(page_id=page.pk).values_list("status", flat=True))
    if not statuses:
        return
    worst = next(
        (s for s in (EditionStatus.FAILED, EditionStatus.PENDING) if s in statuses),
        EditionStatus.BUILT,
    )
    label = _("Editions: %(status)s") % {"status": EditionStatus(worst).label}
    yield Button(label, reverse("publishing:editions"), icon_name="doc-full", priority=85)


def _build_stale():
    built = services.build_stale_editions()
    if not built:
        return ""
    failed = sum(edition.status == EditionStatus.FAILED for edition in built)
    return f"{len(built)} editions built, {failed} failed"


@hooks.register("iskra_scheduled_jobs")
def register_scheduled_jobs():
    return [Job("editions", 60, _build_stale)]
