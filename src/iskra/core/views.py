"""Front-end views of the core: fast page routing, robots.txt, error pages, media."""

import sys

from django import db
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.models import Site

from .contracts import address_resolvers
from .sitemaps import PageSitemap
from .sites import find_site


def _route_by_url_path(request, path):
    """Return the RouteResult of the live page at ``path``, found by one indexed lookup.

    Stock Wagtail walks the tree a level at a time (two queries a level); this looks up
    the page's ``url_path`` below the home page of the active language instead. Returns
    None when no page has that exact path, so that Wagtail's own routing (routable
    pages, sub-routes) takes over.
    """
    site = find_site(request)
    if site is None:
        return None
    language = translation.get_language()
    for root in Site.get_site_root_paths():
        if root.site_id == site.id and root.language_code == language:
            break
    else:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, content_type_id FROM wagtailcore_page WHERE url_path = %s AND live",
            [root.root_path + path],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    model = ContentType.objects.get_for_id(found[1]).model_class()
    if model is None:
        return None
    page = _load_page(model, found[0])
    if page is None:
        return None
    return page.route(request, [])


_PAGE_SQL = {}
_SENTINEL = -7_000_000_001


def _load_page(model, pk):
    """Return the page ``pk`` as an instance of ``model``, or None.

    The ORM builds and compiles the SELECT of a multi-table page model on every call
    (most of the cost of loading the page); its SQL is compiled once per model and
    database here and run through ``raw()``, which gives the same instance.
    """
    key = (model, connection.alias)
    sql = _PAGE_SQL.get(key)
    if sql is None:
        sql, params = model.objects.filter(pk=_SENTINEL).query.sql_with_params()
        if list(params) != [_SENTINEL]:  # an unexpected shape: let the ORM do it
            return model.objects.filter(pk=pk).first()
        _PAGE_SQL[key] = sql
    return next(iter(model.objects.raw(sql, [pk])), None)


def serve(request, path):
    """Serve a Wagtail page, routed by url_path when possible."""
    if not hasattr(request, "_wagtail_route_for_request"):
        result = _route_by_url_path(request, path)
        if result is not None:
            request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)


def sitemap_xml(request):
    """Serve sitemap.xml for both language trees, built for the request's host."""
    return sitemap_view(request, sitemaps={"pages": PageSitemap(request)})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Allow everything public, keep crawlers out of the admin, point to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /_util/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """Answer an address nothing routes to: an old address a resolver knows (an imported
    site's, ``contracts.register_address_resolver``) with a permanent redirect, before
    any 404 page is rendered; else Django's 404 page."""
    for resolve in address_resolvers():
        target = resolve(request)
        if target:
            return language_free(HttpResponsePermanentRedirect(target))
    return defaults.page_not_found(request, exception)


def language_free(response):
    """Mark ``response`` as the same in every language (the page cache may keep it,
    although it is outside the language prefixes)."""
    response.iskra_language_free = True
    return response


# A database that cannot be reached, as Django reports it (not a bug of ours).
DATABASE_AWAY = (db.OperationalError, db.InterfaceError)


def server_error(request):
    """Render the 500 page in the reader's language without touching the database; when
    the database cannot be reached (restarting, failing over), the 503 page instead: the
    reader is told to come back in a minute, and a balancer may try another server."""
    context = {"LANGUAGE_CODE": translation.get_language() or "ru"}
    if isinstance(sys.exc_info()[1], DATABASE_AWAY):
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))
