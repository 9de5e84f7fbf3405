"""Editors' accounts: failed-login throttling (django-axes) with Iskra's choices."""

from django.conf import settings


def client_ip(request):
    """The address a login came from, for the throttle: the proxy's ``X-Real-IP`` behind
    nginx (``BEHIND_PROXY``), else the connection's."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    return request.META.get(meta_key) or request.META.get("REMOTE_ADDR", "")
