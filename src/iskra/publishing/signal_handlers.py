"""Publishing a page that has editions queues their build, after the commit."""

from django.db import transaction
from wagtail.signals import page_published

from iskra.core.contracts import edition_source_for

from . import services
from .tasks import build_editions


def _published(sender, instance, **kwargs):
    source = edition_source_for(instance)
    if source is None or not source.build_on_publish or not instance.live:
        return
    if instance.pk in services.DEFERRED.get():
        return
    page_id = instance.pk
    transaction.on_commit(lambda: build_editions.enqueue(page_id))


def connect():
    page_published.connect(_published, dispatch_uid="iskra-publishing-editions")
