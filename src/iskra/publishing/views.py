"""*Reports › Editions*: every page's editions with status, files, error and *Rebuild*."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from iskra.core.contracts import edition_source_for

from . import services
from .models import Edition, EditionStatus


class EditionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "publishing/admin/editions.html"
    page_title = gettext_lazy("Editions")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = {}
        editions = Edition.objects.select_related("page", "page__locale").order_by(
            "-attempted_at", "page_id", "format"
        )
        for edition in editions:
            row = rows.setdefault(edition.page_id, {"page": edition.page, "editions": []})
            row["editions"].append(edition)
        for row in rows.values():
            source = edition_source_for(row["page"])
            row["label"] = source.label if source else ""
        context["rows"] = list(rows.values())
        context["failed"] = EditionStatus.FAILED
        return context


@require_POST
def rebuild_view(request, page_id):
    """Rebuild a page's editions now (editors who may publish the page)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    editions = services.build_editions(page, force=True)
    failed = [e for e in editions if e.status == EditionStatus.FAILED]
    if not editions:
        messages.warning(request, _("%(page)s has nothing to build yet.") % {"page": page.title})
    elif failed:
        messages.error(request, _("The build failed: %(error)s") % {"error": failed[0].error})
    else:
        messages.success(
            request, _("The editions of %(page)s were rebuilt.") % {"page": page.title}
        )
    return redirect("publishing:editions")
