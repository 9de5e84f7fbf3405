"""Keep the page cache honest: any change readers can see bumps the site generation."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import ClassicsLink, FooterLink, LatinSpelling, Person, SiteSettings
from .page_cache import bump_generation_on_commit


def _bump(**kwargs):
    bump_generation_on_commit()


def _bump_unless_raw(sender, raw=False, **kwargs):
    if not raw:
        bump_generation_on_commit()


def connect():
    """Connect the cache invalidation handlers; called from CoreConfig.ready()."""
    page_published.connect(_bump, dispatch_uid="iskra-bump-published")
    page_unpublished.connect(_bump, dispatch_uid="iskra-bump-unpublished")
    post_page_move.connect(_bump, dispatch_uid="iskra-bump-moved")
    post_delete.connect(_bump, sender=Page, dispatch_uid="iskra-bump-page-deleted")
    for model in (
        Person,
        LatinSpelling,
        SiteSettings,
        ClassicsLink,
        FooterLink,
        Site,
        Locale,
        Redirect,
        PageViewRestriction,
        get_image_model(),
    ):
        uid = f"iskra-bump-{model._meta.label_lower}"
        post_save.connect(_bump_unless_raw, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"{uid}-delete")
