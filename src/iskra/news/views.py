"""Importing in the admin: a Telegram channel export into a section, or a whole old site
(DataLife Engine, WordPress) with the history of past imports."""

import tempfile
from functools import partial
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from iskra.imports.dle import read_dle
from iskra.imports.legacy import ImportFailed
from iskra.imports.models import SiteImport
from iskra.imports.telegram import ExportError
from iskra.imports.uploads import extract_zip
from iskra.imports.wordpress import read_wordpress

from .forms import SiteImportForm, TelegramImportForm
from .models import SectionPage
from .site_import import run_import
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


class AdministratorsOnlyMixin:
    """Site imports change the whole tree: administrators only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SiteImportView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """Upload a DLE dump or WordPress export (and the uploads as a .zip) and import it;
    the page lists the past imports."""

    template_name = "news/admin/site_import.html"
    form_class = SiteImportForm
    page_title = gettext_lazy("Import an old site")
    header_icon = "download"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = SiteImport.objects.select_related("user")[:50]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        with tempfile.TemporaryDirectory(prefix="iskra-site-") as folder:
            folder = Path(folder)
            export = folder / Path(data["export"].name or "export").name
            with export.open("wb") as target:
                for chunk in data["export"].chunks():
                    target.write(chunk)
            try:
                uploads = None
                if data.get("uploads"):
                    (folder / "uploads").mkdir()
                    uploads = extract_zip(data["uploads"], folder / "uploads")
                read = (
                    partial(read_dle, uploads=uploads, language_of=data["language_of"])
                    if data["source"] == "dle"
                    else partial(read_wordpress, uploads=uploads)
                )
                _report, run = run_import(
                    read,
                    export,
                    source=data["source"],
                    dry_run=data["is_dry_run"],
                    user=self.request.user,
                    file_name=data["export"].name,
                )
            except (ValueError, ImportFailed, OSError) as error:
                nothing = _("Nothing was imported.")
                form.add_error("export", f"{error} {nothing}")
                return self.form_invalid(form)
        messages.success(self.request, _("The import is finished; its report is below."))
        return redirect("news_admin:site_import_detail", run.pk)


class SiteImportDetailView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The report of one past import."""

    template_name = "news/admin/site_import_detail.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return _("Import of %(file)s") % {"file": self.run.file_name}

    def dispatch(self, request, *args, pk, **kwargs):
        self.run = get_object_or_404(SiteImport, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("news_admin:site_import"), "label": _("Import an old site")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "run": self.run}
