"""Publishing an event (re)builds its collected volume when its talks changed."""

from django.db import transaction
from wagtail.signals import page_published

from .models import EventPage


def on_event_published(sender, instance, **kwargs):
    from .tasks import build_proceedings

    if instance.live:
        transaction.on_commit(lambda: build_proceedings.enqueue(instance.pk))


def register_signal_handlers():
    page_published.connect(on_event_published, sender=EventPage, dispatch_uid="iskra_events_volume")
