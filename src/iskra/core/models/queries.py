"""Page queries shared by the content apps: privacy and tree ranges."""

from django.core.cache import cache
from django.db.models import Q

from ..page_cache import current_generation


def restricted_paths():
    """Return the tree paths of private sections, read once per site generation."""
    from wagtail.models import PageViewRestriction

    key = f"iskra:restricted-paths:{current_generation()}"
    paths = cache.get(key)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, 3600)
    return paths


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
