"""Importing books in the admin."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from iskra.imports.books import BookError, max_bytes, read_book

from .forms import BookImportForm
from .models import LibraryPage
from .services import import_book


def libraries_for(user):
    """Return the libraries ``user`` may add authors and works to."""
    allowed = [
        page.pk
        for page in LibraryPage.objects.all()
        if page.permissions_for_user(user).can_add_subpage()
    ]
    return LibraryPage.objects.filter(pk__in=allowed).select_related("locale")


class BookImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "library/admin/import_book.html"
    form_class = BookImportForm
    page_title = gettext_lazy("Import a book")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.libraries = libraries_for(request.user)
        if not self.libraries.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "libraries": self.libraries}

    def form_valid(self, form):
        upload = form.cleaned_data["book"]
        nothing = _("Nothing was imported.")
        if upload.size > max_bytes():
            form.add_error(
                "book", _("The file is larger than %(max)s MB.") % {"max": max_bytes() // 2**20}
            )
            return self.form_invalid(form)
        with tempfile.TemporaryDirectory(prefix="iskra-book-") as folder:
            path = Path(folder) / Path(upload.name or "book").name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                book = read_book(path)
            except BookError as error:
                form.add_error("book", f"{error} {nothing}")
                return self.form_invalid(form)
            result = import_book(
                book,
                library=form.cleaned_data["library"],
                author_name=form.cleaned_data["author"],
                original=path,
            )
        messages.success(
            self.request,
            _(
                "%(title)s: %(chapters)s chapters, %(paragraphs)s paragraphs imported. "
                "The EPUB and PDF editions will be ready on the work's page in a few minutes."
            )
            % {
                "title": result.work.title,
                "chapters": result.chapters,
                "paragraphs": result.paragraphs,
            },
        )
        if result.skipped_images:
            messages.warning(
                self.request,
                _("%(count)s embedded pictures were not images and were left out: %(keys)s")
                % {
                    "count": len(result.skipped_images),
                    "keys": ", ".join(result.skipped_images[:10]),
                },
            )
        return redirect("wagtailadmin_explore", result.work.get_parent().pk)
