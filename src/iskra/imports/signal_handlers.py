"""Cached pages include redirects (``iskra.core.page_cache`` stores 301 answers): an
editor's change to a redirect moves the site generation on, as a publish does."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect

from iskra.core.page_cache import bump_generation_on_commit


def _redirect_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        bump_generation_on_commit()


def connect():
    """Connect the handlers; called from ImportsConfig.ready()."""
    post_save.connect(_redirect_changed, sender=Redirect, dispatch_uid="iskra-redirect-saved")
    post_delete.connect(_redirect_changed, sender=Redirect, dispatch_uid="iskra-redirect-deleted")
