"""The collected volumes in the admin: build status, errors, rebuild."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .models import EventPage, ProceedingsVolume, VolumeStatus


class VolumesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "events/admin/volumes.html"
    page_title = gettext_lazy("Collected volumes")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["volumes"] = ProceedingsVolume.objects.select_related("event").order_by(
            "-attempted_at"
        )
        context["failed"] = VolumeStatus.FAILED
        return context


@require_POST
def rebuild_view(request, event_id):
    """Rebuild an event's volume now (editors who may publish the event)."""
    event = get_object_or_404(EventPage, pk=event_id)
    if not event.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    volume = services.build_proceedings(event, force=True)
    if volume is None:
        messages.warning(request, _("No talk has a text yet, so there is no volume."))
    elif volume.status == VolumeStatus.FAILED:
        messages.error(request, _("The build failed: %(error)s") % {"error": volume.error})
    else:
        messages.success(request, _("The volume was rebuilt."))
    return redirect("events:volumes")
