"""Whole-page cache for anonymous readers, invalidated by a site generation number.

Every publish, unpublish, move or delete (and every change to settings or people) bumps
the generation; cache keys include it, so no listing, related block or feed can go stale,
and app servers that share Redis agree at once. Without Redis the generation lives in a
small file under ``var/``, which every worker process on the machine reads.
"""

import contextlib
import fcntl
import hashlib
import os
import time
from contextvars import ContextVar
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .mirror import MIRROR_ENVIRON_KEY

GENERATION_KEY = "iskra:site-generation"
CACHE_HEADER = "X-Iskra-Cache"
_BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/_util/")
# Paths whose content does not follow the reader's Accept-Language, although Django's
# LocaleMiddleware marks them so (they sit outside the /ru/ and /kk/ prefixes).
_LANGUAGE_FREE_PREFIXES = ("/feeds/", "/sitemap.xml", "/robots.txt")


def _uses_shared_cache():
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _generation_file():
    return os.path.join(settings.VAR_DIR, "site-generation")


# The generation read once at the start of a GET request: the request then sees one
# consistent state, and the file (or Redis) is read once instead of once per lookup.
_pinned_generation = ContextVar("iskra_generation", default=None)


def current_generation():
    """Return the site generation number as a string."""
    pinned = _pinned_generation.get()
    if pinned is not None:
        return pinned
    if _uses_shared_cache():
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            value = cache.get(GENERATION_KEY, 1)
        return str(value)
    try:
        with open(_generation_file(), "rb") as handle:
            return handle.read().decode() or "0"
    except FileNotFoundError:
        return "0"


def bump_generation():
    """Increment the site generation now, so every cached page becomes stale."""
    _pinned_generation.set(None)
    if _uses_shared_cache():
        cache.add(GENERATION_KEY, 1, timeout=None)
        # Redis away: nothing is cached meanwhile, and the generation moves on when it is
        # back (core/cache.py).
        with contextlib.suppress(ValueError):
            cache.incr(GENERATION_KEY)
        return
    path = _generation_file()
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        raw = handle.read().decode() or "0"
        handle.seek(0)
        handle.truncate()
        handle.write(str(int(raw) + 1).encode())
        handle.flush()


def bump_generation_on_commit():
    """Bump the generation now and again once the current transaction commits.

    The first bump hides the change from nobody (readers of the old state are fine);
    the second one drops pages that a concurrent request rendered from the old
    state while the transaction was still open.
    """
    bump_generation()
    transaction.on_commit(bump_generation)


def _cache_key(environ, generation):
    """Return the cache key of a request, from its WSGI environ (shared by both paths)."""
    raw = "|".join(
        [
            environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            "gz" if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") else "id",
        ]
    )
    digest = hashlib.blake2b(raw.encode("utf-8", "surrogateescape"), digest_size=16)
    return f"iskra:page:{generation}:{digest.hexdigest()}"


def _is_cacheable_environ(environ):
    path = environ.get("PATH_INFO", "")
    return (
        environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and f"{settings.SESSION_COOKIE_NAME}=" not in environ.get("HTTP_COOKIE", "")
        and not path.startswith(_BYPASS_PREFIXES)
        and path != "/"
        and not environ.get(MIRROR_ENVIRON_KEY)  # the copy's version of a page
    )


def _is_cacheable_response(request, response):
    if response.status_code not in (200, 301, 404) or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    varies_by_language = "accept-language" in response.get("Vary", "").lower()
    return (
        not varies_by_language
        or request.path.startswith(_LANGUAGE_FREE_PREFIXES)
        or getattr(response, "iskra_language_free", False)  # core.views.language_free
    )


class PageCacheMiddleware:
    """Serve anonymous GET requests from the page cache; fill it on a miss.

    Placed first, so that stored responses carry every header the other middleware
    adds and a hit skips sessions, locale, URL resolution and the database. Requests
    carrying a session cookie (editors) always bypass it. In production the WSGI
    wrapper ``PageCacheApplication`` answers hits before Django is even entered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self._respond(request)
        token = _pinned_generation.set(current_generation())
        try:
            return self._respond(request)
        finally:
            _pinned_generation.reset(token)

    def _respond(self, request):
        if settings.ISKRA_PAGE_CACHE_TIMEOUT <= 0 or not _is_cacheable_environ(request.META):
            return self.get_response(request)
        try:
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        key = _cache_key(request.META, current_generation())
        cached = cache.get(key)
        if cached is not None:
            return _rebuild(cached)
        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            patch_vary_headers(response, ["Accept-Encoding"])
            cache.set(key, _freeze(response), settings.ISKRA_PAGE_CACHE_TIMEOUT)
            response[CACHE_HEADER] = "miss"
        return response


def _freeze(response):
    headers = [(k, v) for k, v in response.items() if k not in (CACHE_HEADER, "Content-Length")]
    return (response.status_code, headers, response.content)


def _rebuild(frozen):
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHE_HEADER] = "hit"
    return response


_LOCAL_ENTRIES = 256


class _LocalPages(dict):
    """A small per-process copy of recently served cache entries.

    Keys include the site generation, so an entry can never be served after a publish;
    it saves unpickling the page from the shared cache on every hit.
    """

    def recall(self, key):
        entry = self.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def remember(self, key, frozen):
        if len(self) >= _LOCAL_ENTRIES:
            self.clear()
        # Kept at most a minute, so the shared cache's own expiry still governs.
        self[key] = (time.monotonic() + min(60, settings.ISKRA_PAGE_CACHE_TIMEOUT), frozen)


class PageCacheApplication:
    """WSGI wrapper that answers page-cache hits without entering Django.

    It reads only entries that ``PageCacheMiddleware`` stored (after Django validated
    the host and built the response), under the same key; everything else goes to
    Django unchanged.
    """

    def __init__(self, application):
        self.application = application
        self.local = _LocalPages()

    def __call__(self, environ, start_response):
        if settings.ISKRA_PAGE_CACHE_TIMEOUT > 0 and _is_cacheable_environ(environ):
            key = _cache_key(environ, current_generation())
            frozen = self.local.recall(key)
            if frozen is None:
                frozen = cache.get(key)
                if frozen is not None:
                    self.local.remember(key, frozen)
            if frozen is not None:
                status, headers, content = frozen
                reason = HTTPStatus(status).phrase
                start_response(
                    f"{status} {reason}",
                    [*headers, ("Content-Length", str(len(content))), (CACHE_HEADER, "hit")],
                )
                return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [content]
        return self.application(environ, start_response)
