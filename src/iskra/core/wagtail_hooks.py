from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
