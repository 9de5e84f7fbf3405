from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import urls
from .models import EventPage, ProceedingsVolume, Talk

PERSON_TALKS = 50


@hooks.register("iskra_person_sections")
def person_talks(person, request):
    """List the person's talks on their page, next to their articles."""
    talks = (
        Talk.objects.filter(speaker=person, event__live=True)
        .select_related("event")
        .order_by("-event__start", "sort_order")[:PERSON_TALKS]
    )
    talks = list(talks)
    return [{"template": "events/includes/person_talks.html", "items": talks}] if talks else []


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("events/", include(urls, namespace="events"))]


@hooks.register("register_reports_menu_item")
def register_volumes_report():
    return MenuItem(
        _("Collected volumes"), reverse("events:volumes"), icon_name="doc-full", order=910
    )


@hooks.register("register_page_header_buttons")
def volume_status_button(page, user, view_name, next_url=None):
    """Show an event's volume status in its menu, linking to the volumes report."""
    if page.specific_class is not EventPage:
        return
    volume = ProceedingsVolume.objects.filter(event_id=page.pk).first()
    if volume is not None:
        label = _("Collected volume: %(status)s") % {"status": volume.get_status_display()}
        yield Button(label, reverse("events:volumes"), icon_name="doc-full", priority=85)
