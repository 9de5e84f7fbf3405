"""*Reports › Addresses not found*: old addresses readers ask for that lead nowhere, with
how often, so an editor can redirect them (Settings › Redirects) or dismiss them."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import MissingAddress

PER_PAGE = 100
# Those who may add redirects may see what needs one.
CAN_REDIRECT = "wagtailredirects.add_redirect"


@method_decorator(permission_required(CAN_REDIRECT, raise_exception=True), name="dispatch")
class MissingAddressesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "imports/admin/missing_addresses.html"
    page_title = gettext_lazy("Addresses not found")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        addresses = MissingAddress.objects.order_by("-hits", "-last_seen", "path")
        context["addresses"] = Paginator(addresses, PER_PAGE).get_page(self.request.GET.get("p"))
        return context


@require_POST
@permission_required(CAN_REDIRECT, raise_exception=True)
def dismiss_view(request, pk):
    """Forget a missing address (it was redirected, or it is noise)."""
    address = get_object_or_404(MissingAddress, pk=pk)
    address.delete()
    messages.success(request, _("%(path)s was dismissed.") % {"path": address.path})
    return redirect("imports:missing_addresses")
