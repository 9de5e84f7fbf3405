"""Find the request's Wagtail site once per site generation instead of once per request."""

from wagtail.models import Site

from .page_cache import current_generation

_SITES = {}


def find_site(request):
    """Return the Wagtail Site for ``request`` and remember it on the request.

    Wagtail looks the site up with a query on every request; sites change rarely and
    every change bumps the site generation, so each process keeps the answer per
    generation, host and port.
    """
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = (request.get_host(), request.get_port())
    generation = current_generation()
    remembered = _SITES.get(key)
    if remembered is not None and remembered[0] == generation:
        site = remembered[1]
    else:
        site = Site.find_for_request(request)
        if len(_SITES) > 100:
            _SITES.clear()
        _SITES[key] = (generation, site)
    request._wagtail_site = site
    return site
