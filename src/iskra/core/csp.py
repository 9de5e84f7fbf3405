"""Content-Security-Policy: what a page may load, given by Django's own CSP middleware.

Public pages get ``settings.SECURE_CSP``: scripts, styles, images and connections from
the site itself only, nothing framed and nothing framing them. The site has no inline
script or style (its JSON-LD is a data block, which CSP does not govern), so the policy
needs neither ``'unsafe-inline'`` nor nonces, and a stored page of the page cache keeps
a policy that is still right when it is served again.

Two kinds of response get another policy, set here before Django's middleware writes the
header:

- a page with a click-to-load video may frame exactly the players of the videos it
  shows (``frame-src https://www.youtube-nocookie.com`` for a YouTube video; nothing
  else is loaded before the reader clicks, and no other player can be framed);
- the admin (``/admin/``, ``/django-admin/``) gets ``settings.ISKRA_ADMIN_CSP``: Wagtail's
  admin still writes inline scripts and styles, so it may run those, but it loads from
  the site alone and only the admin itself may frame it (the preview panel).
"""

import re
from urllib.parse import urlsplit

from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
_VIDEO_EMBED = re.compile(rb'data-video-embed="(https://[^"/]+)/')


def video_origins(content):
    """The player origins of the click-to-load videos in a page's HTML, sorted."""
    return sorted({match.decode("ascii", "replace") for match in _VIDEO_EMBED.findall(content)})


def policy_with_frames(policy, origins):
    """``policy`` allowing frames from exactly ``origins`` (https origins only)."""
    allowed = [
        origin
        for origin in origins
        if urlsplit(origin).scheme == "https" and urlsplit(origin).netloc
    ]
    return {**policy, "frame-src": allowed} if allowed else policy


class PolicyMiddleware:
    """Chooses the policy of a response; placed after Django's
    ``ContentSecurityPolicyMiddleware`` in ``MIDDLEWARE``, so it runs first on the way
    out and Django's middleware writes the chosen policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIXES):
            response._csp_config = settings.ISKRA_ADMIN_CSP
        elif (
            not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and b"data-video-embed=" in response.content
        ):
            policy = getattr(response, "_csp_config", settings.SECURE_CSP)
            response._csp_config = policy_with_frames(policy, video_origins(response.content))
        return response
