"""Publishing a page that has editions queues their build, after the commit; with
``MIRROR_DIR`` set, every publish, unpublish, move or delete queues the copy's update."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from iskra.core.background import enqueue_once
from iskra.core.contracts import edition_source_for

from . import services
from .tasks import build_editions, update_mirror


def _published(sender, instance, **kwargs):
    source = edition_source_for(instance)
    if source is None or not source.build_on_publish or not instance.live:
        return
    if instance.pk in services.DEFERRED.get():
        return
    page_id = instance.pk
    transaction.on_commit(lambda: build_editions.enqueue(page_id))


def _changed(sender, **kwargs):
    if getattr(settings, "MIRROR_DIR", ""):
        delay = getattr(settings, "MIRROR_UPDATE_DELAY", 5)
        transaction.on_commit(lambda: enqueue_once(update_mirror, delay=delay))


def connect():
    page_published.connect(_published, dispatch_uid="iskra-publishing-editions")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid=f"iskra-mirror-{id(signal)}")
    post_delete.connect(_changed, sender=Page, dispatch_uid="iskra-mirror-delete")
