from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import sections_for


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("imports/", include(urls, namespace="imports"))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return sections_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import from Telegram"), reverse("imports:telegram"), icon_name="download", order=800
    )
