from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .models import AuthorPage, LibraryPage
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


@hooks.register("iskra_classics_links")
def classics_links(home, request):
    """The sidebar's "Works of the classics": the authors of the home's library, in the
    order editors give them in the page explorer."""
    library = LibraryPage.objects.child_of(home).live().first()
    if library is None:
        return []
    authors = AuthorPage.objects.child_of(library).live().public().order_by("path")
    return [
        (author.title, author.get_url(request))
        for author in authors.only("title", "url_path", "path")
    ]
