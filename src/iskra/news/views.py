"""Importing in the admin: upload a Telegram channel export into a section."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from iskra.imports.telegram import ExportError

from .forms import TelegramImportForm
from .models import SectionPage
from .telegram_import import import_telegram_upload


def sections_for(user):
    """Return the sections ``user`` may add articles to."""
    allowed = [
        section.pk
        for section in SectionPage.objects.select_related("locale")
        if section.permissions_for_user(user).can_add_subpage()
    ]
    return SectionPage.objects.filter(pk__in=allowed).select_related("locale").order_by("path")


class TelegramImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "news/admin/telegram_import.html"
    form_class = TelegramImportForm
    page_title = gettext_lazy("Import a Telegram channel")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        self.sections = sections_for(request.user)
        if not self.sections.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sections": self.sections}

    def form_valid(self, form):
        try:
            report = import_telegram_upload(
                form.cleaned_data["export"], section=form.cleaned_data["section"]
            )
        except ExportError as error:
            nothing = _("Nothing was imported.")
            form.add_error("export", f"{error} {nothing}")
            return self.form_invalid(form)
        for line in report.lines():
            messages.success(self.request, line)
        return redirect("news_admin:telegram_import")
