"""Page queries shared by the content apps: privacy and tree ranges."""

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Locale, Page, PageViewRestriction

from ..page_cache import current_generation


def restricted_paths():
    """Return the tree paths of private sections, read once per site generation."""
    key = f"iskra:restricted-paths:{current_generation()}"
    paths = cache.get(key)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, 3600)
    return paths


def branch_pages():
    """Return ``{path: (title, url_path)}`` of the pages that have children.

    Breadcrumbs are made of such pages (sections, the home pages); there are few of
    them, so they are read once per site generation instead of once per page view.
    """
    key = f"iskra:branch-pages:{current_generation()}"
    pages = cache.get(key)
    if pages is None:
        pages = {
            path: (title, url_path)
            for path, title, url_path in Page.objects.filter(numchild__gt=0, depth__gt=1)
            .order_by()
            .values_list("path", "title", "url_path")
        }
        cache.set(key, pages, 3600)
    return pages


def locale_codes():
    """Return ``{locale id: language code}``; locales change only with the site's setup."""
    key = f"iskra:locale-codes:{current_generation()}"
    codes = cache.get(key)
    if codes is None:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set(key, codes, 3600)
    return codes


def exclude_private(queryset):
    """Return ``queryset`` without pages in private sections.

    Does what Wagtail's ``.public()`` does, but reads the list of restricted sections
    once per site generation instead of once per query.
    """
    paths = restricted_paths()
    if not paths:
        return queryset
    private = Q()
    for private_path in paths:
        private |= Q(path__startswith=private_path)
    return queryset.exclude(private)


def below(page, *, depth=None):
    """Return a filter for the pages under ``page`` (only at ``depth`` when given).

    Wagtail's ``child_of``/``descendant_of`` compile to ``path LIKE 'prefix%'``, which
    SQLite cannot answer from the path index, so every listing scanned the whole page
    table. A range on the path (tree paths use only 0-9 and A-Z) uses the index on
    SQLite and PostgreSQL alike.
    """
    condition = Q(path__gt=page.path, path__lte=page.path.ljust(255, "Z"))
    if depth is not None:
        condition &= Q(depth=depth)
    return condition
