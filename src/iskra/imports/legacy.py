"""Old addresses of imported sites: stored as Wagtail redirects, resolved by old id.

Every old address an import knows of (a post's permalink, a category page, a tag page,
a feed, a static page, the old site's own redirects) becomes a permanent Wagtail
``Redirect``, which editors see and edit under *Settings › Redirects*. Addresses built
from an old id (DLE finds a post by the number in ``/any/path/123-any-slug.html``; both
engines answer ``?newsid=``, ``?p=``, ``?page_id=``) resolve through the
``ImportedItem`` of that id, so an old link with a changed slug or category still lands
on the right page. Both lookups run only after Wagtail found no page, and use indexes.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from iskra.core.bulk import insert_rows

from .models import ImportedItem, MissingAddress

MISSING_LIMIT = 10_000  # distinct missing addresses kept; beyond, only known ones count
_DLE_POST = re.compile(r"(?:^|/)(?:print:)?(?:page,\d+,)?(\d+)-[^/]*\.html$")
_DLE_DATED = re.compile(r"^(/\d{4}/\d{2}/\d{2}/)(?:page,\d+,)?([^/]+\.html)$")
_PAGED = re.compile(r"^(.*?/)page/\d+/?$")
# Query parameters that name an old item: (parameter, source, container).
_QUERY_IDS = (
    ("newsid", "dle", ("post",)),
    ("p", "wordpress", ("post", "page")),
    ("page_id", "wordpress", ("page",)),
)


class ImportFailed(Exception):
    """An import cannot go on; the message says why in words an editor understands."""


def normalise(path):
    """Return ``path`` (with its query) as Wagtail stores redirects: decoded, sorted."""
    return Redirect.normalise_path(path)


def store_redirects(entries, *, chunk=2000):
    """Create a permanent redirect for each ``(old path, page, route path or link)``.

    An old path that already redirects is left as it is (an editor may have changed
    it); returns how many were created. Written a chunk at a time: an import of 20,000
    posts has about 85,000 old addresses.
    """
    seen, batch, created = set(), [], 0
    for old_path, page_id, target in entries:
        key = normalise(old_path)[:255]
        if not key or key == "/" or key in seen or not (page_id or target):
            continue
        seen.add(key)
        batch.append((key, page_id, target))
        if len(batch) >= chunk:
            created += _store_batch(batch)
            batch = []
    return created + _store_batch(batch)


def _store_batch(batch):
    existing = set(
        Redirect.objects.filter(site=None, old_path__in=[key for key, _p, _t in batch]).values_list(
            "old_path", flat=True
        )
    )
    fresh = [
        (key, page_id, target or "", "", True) if page_id else (key, None, "", target[:255], True)
        for key, page_id, target in batch
        if key not in existing
    ]
    insert_rows(
        Redirect,
        ("old_path", "redirect_page", "redirect_page_route_path", "redirect_link", "is_permanent"),
        fresh,
    )
    return len(fresh)


def _page_url(page_id, request):
    page = Page.objects.filter(pk=page_id, live=True).first()
    return page.specific_deferred.get_url(request) if page else None


def _item_url(source, containers, key, request):
    record = (
        ImportedItem.objects.filter(source=source, container__in=containers, item=key)
        .values_list("page_id", flat=True)
        .first()
    )
    return _page_url(record, request) if record else None


def redirect_link(redirect):
    """Return where ``redirect`` leads, or None when that page is not live (a draft)."""
    if redirect is None or (redirect.redirect_page_id and not redirect.redirect_page.live):
        return None
    return redirect.link


def _redirect_url(path, request):
    return redirect_link(
        Redirect.objects.filter(old_path=normalise(path)[:255])
        .select_related("redirect_page")
        .first()
    )


def resolve(full_path, request=None):
    """Return where the old address ``full_path`` (path and query) lives now, or None."""
    parts = urlsplit(full_path)
    path = uri_to_iri(parts.path)
    query = parse_qs(parts.query)
    for parameter, source, containers in _QUERY_IDS:
        value = (query.get(parameter) or [""])[0]
        if value.isdigit():
            url = _item_url(source, containers, value, request)
            if url:
                return url
    if query:
        url = _redirect_url(path + "?" + parts.query, request)
        if url:
            return url
    found = _DLE_POST.search(path)
    if found:
        url = _item_url("dle", ("post",), found.group(1), request)
        if url:
            return url
    dated = _DLE_DATED.match(path)
    if dated:
        url = _redirect_url(dated.group(1) + dated.group(2), request)
        if url:
            return url
    paged = _PAGED.match(path)
    if paged:
        return _redirect_url(paged.group(1), request)
    return None


def count_missing(full_path):
    """Count a request for ``full_path`` that nothing answered (path and hits only)."""
    path = uri_to_iri(full_path)[:255]
    now = timezone.now()
    if MissingAddress.objects.filter(path=path).update(hits=F("hits") + 1, last_seen=now):
        return
    if MissingAddress.objects.count() >= MISSING_LIMIT:
        return
    try:
        with transaction.atomic():
            MissingAddress.objects.create(path=path, hits=1, first_seen=now, last_seen=now)
    except IntegrityError:  # counted by a concurrent request in the meantime
        MissingAddress.objects.filter(path=path).update(hits=F("hits") + 1, last_seen=now)
