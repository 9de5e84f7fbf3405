"""Answer old addresses with a permanent redirect after Wagtail found no page.

Takes the place of Wagtail's ``RedirectMiddleware``: the exact redirects first (as
Wagtail does), then the old-id rules of ``iskra.imports.legacy``; what still resolves to
nothing is counted for the editors' report and not cached, so every request counts.
"""

from urllib.parse import urlparse

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from iskra.core.views import language_free

from . import legacy

_SKIPPED = ("/static/", "/media/", "/admin/", "/django-admin/", "/documents/", "/_util/")
# Old front-page queries (``/?p=12``, ``/index.php?newsid=7``): the front page itself
# answers ``/`` with a language redirect, so these are looked at before it.
_FRONT = ("/", "/index.php")
_QUERY_KEYS = ("p", "page_id", "newsid", "do", "cat", "tag", "feed", "author")


def resolve_request(request):
    """Return where the request's old address lives now, or None (the resolver that
    ``ImportsConfig`` registers with the core's 404 view).

    A temporary Wagtail redirect is kept on the request for the middleware to answer
    as such (the 404 view answers permanently); a redirect to a page that is not live
    marks the address as known, so it is not counted as missing."""
    request.iskra_address_checked = True
    if "\0" in request.path or request.path.startswith(_SKIPPED):
        return None
    if request.method not in ("GET", "HEAD"):
        return None
    answered = _wagtail_redirect(request)
    if answered is False:
        request.iskra_known_draft = True
        return None
    if isinstance(answered, HttpResponsePermanentRedirect):
        return answered["Location"]
    if answered is not None:
        request.iskra_temporary_redirect = answered
        return None
    return legacy.resolve(request.get_full_path(), request)


def _wagtail_redirect(request):
    """Return the response of the Wagtail redirect of the request's path, as Wagtail's own
    middleware finds it (exact path, then without its query), False for a redirect to a
    page that is not live, or None."""
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    redirect = get_redirect(request, path)
    if redirect is None and urlparse(path).path != path:
        redirect = get_redirect(request, urlparse(path).path)
    if redirect is None:
        return None
    link = legacy.redirect_link(redirect)
    if link is None:
        return False
    if redirect.is_permanent:
        return HttpResponsePermanentRedirect(link)
    return HttpResponseRedirect(link)


class LegacyAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path in _FRONT
            and request.method in ("GET", "HEAD")
            and any(key in request.GET for key in _QUERY_KEYS)
        ):
            target = legacy.resolve(request.get_full_path(), request)
            if target:
                return language_free(HttpResponsePermanentRedirect(target))
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return self.not_found(request, response)

    def not_found(self, request, response):
        if not getattr(request, "iskra_address_checked", False):
            # A 404 a view returned (the core's 404 view has asked the resolvers already).
            target = resolve_request(request)
            if target:
                return language_free(HttpResponsePermanentRedirect(target))
        temporary = getattr(request, "iskra_temporary_redirect", None)
        if temporary is not None:
            return temporary
        if (
            getattr(request, "iskra_known_draft", False)
            or request.method not in ("GET", "HEAD")
            or "\0" in request.path
            or request.path.startswith(_SKIPPED)
        ):
            return response
        legacy.count_missing(request.get_full_path())
        response["Cache-Control"] = "no-store"
        return response
