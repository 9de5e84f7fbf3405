"""Publishing, unpublishing and deleting pages drive their Telegram posts."""

from django.db import transaction
from django.db.models.signals import pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import services
from .tasks import deliver_post


def deliver_on_commit(posts):
    """Queue delivery of ``posts`` once the surrounding transaction commits."""
    for post in posts:
        if post is not None:
            transaction.on_commit(lambda pk=post.pk: deliver_post.enqueue(pk))


def on_page_published(sender, instance, **kwargs):
    # Wagtail also sends this when a revision is only scheduled (the page not live yet).
    if not instance.live:
        return
    is_first = instance.first_published_at == instance.last_published_at
    post = services.queue_publish(instance, is_first_publish=is_first)
    deliver_on_commit([post])


def on_page_unpublished(sender, instance, **kwargs):
    deliver_on_commit(services.queue_removal(instance.pk))


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is Page:
        deliver_on_commit(services.queue_removal(instance.pk))


def register_signal_handlers():
    page_published.connect(on_page_published, dispatch_uid="iskra_telegram_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="iskra_telegram_unpublished")
    pre_delete.connect(on_page_deleted, sender=Page, dispatch_uid="iskra_telegram_deleted")
