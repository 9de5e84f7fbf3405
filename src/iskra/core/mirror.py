"""Rendering for the static mirror: how a page knows it is being written into a copy.

``iskra.publishing`` renders the site into files by calling Django in-process with
``MIRROR_ENVIRON_KEY`` set in the WSGI environ (no HTTP header can set it, so no reader
can ask for the copy's version of a page). Templates read ``is_mirror_copy`` (the
``mirror`` context processor) to show, in place of a form, where the live form is; the
page cache leaves such requests alone.
"""

MIRROR_ENVIRON_KEY = "iskra.mirror"


def is_mirror_request(request):
    """Return whether ``request`` renders a page for the static mirror."""
    return bool(request.META.get(MIRROR_ENVIRON_KEY))


def mirror(request):
    """Context processor: ``is_mirror_copy`` and the main site's address."""
    if not is_mirror_request(request):
        return {"is_mirror_copy": False}
    return {"is_mirror_copy": True, "main_site_url": request.build_absolute_uri("/")}
