from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import background_urls, backup, two_factor
from .models import LatinSpelling, Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "role", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "role"]
    ordering = ["name"]


register_snippet(PersonViewSet)


class LatinSpellingViewSet(SnippetViewSet):
    model = LatinSpelling
    icon = "edit"
    menu_label = _("Latin spellings")
    menu_order = 220
    add_to_settings_menu = True
    list_display = ["cyrillic", "latin", "note"]
    search_fields = ["cyrillic", "latin"]
    ordering = ["cyrillic"]


register_snippet(LatinSpellingViewSet)


@hooks.register("register_admin_urls")
def register_background_urls():
    return [path("reports/background-work/", include(background_urls, namespace="core_background"))]


@hooks.register("register_reports_menu_item")
def register_background_report():
    return MenuItem(
        _("Background work"), reverse("core_background:work"), icon_name="cogs", order=930
    )


@hooks.register("iskra_scheduled_jobs")
def register_scheduled_jobs():
    """The daily backup into ``BACKUP_DIR``, when it is set."""
    return backup.scheduled_jobs()


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return two_factor.urlpatterns


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if two_factor.mode() != "off" and request_user.has_perm("auth.change_user"):
        yield Button(
            _("Remove authenticator"),
            reverse("iskra_two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=100,
        )


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    if two_factor.mode() == "off":
        return None
    return {
        "url": reverse("iskra_two_factor_setup"),
        "label": _("Two-factor login"),
        "help_text": _("Set up the authenticator app, or move it to a new phone."),
    }
