from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import libraries_for


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("library/", include(urls, namespace="library"))]


class ImportBookMenuItem(MenuItem):
    def is_shown(self, request):
        return libraries_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_import_book_menu_item():
    return ImportBookMenuItem(
        _("Import a book"), reverse("library:import"), icon_name="doc-full", order=810
    )


def _build_downloads():
    from .models import DownloadStatus
    from .services import build_downloads, stale_works

    built = [build_downloads(work) for work in stale_works()]
    if not built:
        return ""
    failed = sum(files.status == DownloadStatus.FAILED for files in built)
    return f"{len(built)} library editions built, {failed} failed"


@hooks.register("iskra_scheduled_jobs")
def register_scheduled_jobs():
    from iskra.core.schedule import Job

    return [Job("library_downloads", 60, _build_downloads)]


@hooks.register("iskra_classics_links")
def classics_links(home):
    """The sidebar's "Works of the classics": the authors of the home's library, in the
    order editors give them in the page explorer."""
    from .models import AuthorPage, LibraryPage

    library = LibraryPage.objects.child_of(home).live().first()
    if library is None:
        return []
    authors = AuthorPage.objects.child_of(library).live().public().order_by("path")
    return [(author.title, author.url) for author in authors.only("title", "url_path", "path")]
