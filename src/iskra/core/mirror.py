"""Rendering for the static mirror: how a page knows it is being written into a copy.

``iskra.publishing`` renders the site into files by calling Django in-process with
``MIRROR_ENVIRON_KEY`` set in the WSGI environ (no HTTP header can set it, so no reader
can ask for the copy's version of a page). Templates read ``is_mirror_copy`` (the
``mirror`` context processor) to show, in place of a form, where the live form is, and
the view marks such a page (``mark_copy_variant``); the page cache leaves such requests
alone.
"""

MIRROR_ENVIRON_KEY = "iskra.mirror"
# On a copy's page that differs from the site's own (a form's notice, the static search):
# nginx, serving the copy to the site's readers, leaves such pages to the app.
COPY_VARIANT_HEADER = "X-Iskra-Copy-Variant"


def is_mirror_request(request):
    """Return whether ``request`` renders a page for the static mirror."""
    return bool(request.META.get(MIRROR_ENVIRON_KEY))


def mark_copy_variant(request, response):
    """Mark ``response`` as the copy's own version of its page (see above) when
    ``request`` renders for the copy; return it."""
    if is_mirror_request(request):
        response[COPY_VARIANT_HEADER] = "1"
    return response


def mirror(request):
    """Context processor: ``is_mirror_copy`` and the main site's address."""
    if not is_mirror_request(request):
        return {"is_mirror_copy": False}
    return {"is_mirror_copy": True, "main_site_url": request.build_absolute_uri("/")}
