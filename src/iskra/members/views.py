"""The application form on the join page, and the membership inbox in the admin."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_ratelimit.core import get_usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import ApplicationForm, NoteForm, StatusForm
from .models import Application, AuditEntry, Status

logger = logging.getLogger(__name__)
RATE_GROUP = "iskra.members.apply"
INBOX_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100


def _has_reached_rate_limit(request):
    """Return True when this address has used up its applications for the period."""
    usage = get_usage(
        request, group=RATE_GROUP, key="ip", rate=settings.MEMBERS_RATE_LIMIT, method="POST"
    )
    return usage is not None and usage["count"] >= usage["limit"]


def _count_against_rate_limit(request):
    get_usage(
        request,
        group=RATE_GROUP,
        key="ip",
        rate=settings.MEMBERS_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def apply(page, request):
    """Serve the join page's form; a valid POST is stored and redirected to "sent".

    Only stored applications and bot hits count against the per-address limit, so a
    person correcting a typo is never locked out.
    """
    status = 200
    error = None
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if _has_reached_rate_limit(request):
            error, status = _("Too many applications from your network. Try again later."), 429
        elif form.is_bot:
            _count_against_rate_limit(request)
            return page.redirect_to_sent(request)
        elif form.is_valid():
            _count_against_rate_limit(request)
            privacy = page.privacy_page.specific.full_url if page.privacy_page else ""
            try:
                services.submit_application(
                    data=form.cleaned_data,
                    language=translation.get_language(),
                    privacy_policy_url=privacy or "",
                )
            except DatabaseError:
                logger.exception("A membership application could not be stored")
                error = _(
                    "Your application could not be saved because of a fault on our side. "
                    "Nothing was stored. Please try again in a few minutes."
                )
                status = 503
            else:
                return page.redirect_to_sent(request)
    else:
        form = ApplicationForm()
    response = page.render(request, context_overrides={"form": form, "form_error": error})
    response.status_code = status
    return response


def _require_secretary(request):
    if not services.can_process(request.user):
        raise PermissionDenied


def _require_superuser(request):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    """The applications, newest first, filtered by status; names shown, so logged."""

    template_name = "members/admin/inbox.html"
    page_title = gettext_lazy("Membership applications")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        _require_secretary(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        applications = services.list_applications(status=status)
        counts = services.status_counts()
        page = Paginator(applications, INBOX_PAGE_SIZE).get_page(self.request.GET.get("p"))
        services.record_listing(
            user=self.request.user,
            applications=page.object_list,
            detail=f"status={status or 'all'} page={page.number}",
        )
        context.update(
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            status=status,
            statuses=[(value, label, counts[value]) for value, label in Status.choices],
        )
        return context


class ApplicationView(WagtailAdminTemplateMixin, TemplateView):
    """One application: its data, notes, status; every opening is logged."""

    template_name = "members/admin/application.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        _require_secretary(request)
        try:
            if request.method == "GET":
                self.application = services.open_application(
                    user=request.user, number=kwargs["number"]
                )
            else:
                self.application = Application.objects.get(pk=kwargs["number"])
        except Application.DoesNotExist:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.application)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("members:inbox"), "label": _("Membership applications")},
            {"url": "", "label": str(self.application)},
        ]

    def post(self, request, *args, **kwargs):
        if "status" in request.POST:
            form = StatusForm(request.POST)
            if form.is_valid() and services.change_status(
                self.application, status=form.cleaned_data["status"], user=request.user
            ):
                messages.success(request, _("Status changed."))
        else:
            form = NoteForm(request.POST)
            if form.is_valid():
                services.add_note(
                    self.application, text=form.cleaned_data["text"], user=request.user
                )
                messages.success(request, _("Note added."))
        if not form.is_valid():
            messages.error(
                request, _("Nothing was changed: %(errors)s") % {"errors": form.errors.as_text()}
            )
        return redirect("members:application", number=self.application.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            application=self.application,
            notes=self.application.notes.select_related("author"),
            status_form=StatusForm(initial={"status": self.application.status}),
            note_form=NoteForm(),
            history=AuditEntry.objects.filter(application_number=self.application.pk)[:50],
        )
        return context


def export_view(request):
    """Return the selected applications as CSV (POST only, so it is never prefetched)."""
    _require_secretary(request)
    if request.method != "POST":
        return redirect("members:inbox")
    numbers = [value for value in request.POST.getlist("selected") if value.isdigit()]
    if not numbers:
        messages.error(request, _("Select the applications to export."))
        return redirect("members:inbox")
    applications = Application.objects.filter(pk__in=numbers).order_by("pk")
    text = services.export_csv(applications, user=request.user)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


class AuditLogView(WagtailAdminTemplateMixin, TemplateView):
    """The audit log, newest first; superusers only, read-only."""

    template_name = "members/admin/audit_log.html"
    page_title = gettext_lazy("Membership audit log")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        _require_superuser(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = AuditEntry.objects.all()
        number = self.request.GET.get("application", "")
        if number.isdigit():
            entries = entries.filter(application_number=number)
        page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            application=number,
        )
        return context
