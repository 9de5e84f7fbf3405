from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import CAN_REDIRECT


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/addresses-not-found/", include(urls, namespace="imports"))]


class MissingAddressesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(CAN_REDIRECT)


@hooks.register("register_reports_menu_item")
def register_missing_addresses_report():
    return MissingAddressesMenuItem(
        _("Addresses not found"),
        reverse("imports:missing_addresses"),
        icon_name="warning",
        order=920,
    )
