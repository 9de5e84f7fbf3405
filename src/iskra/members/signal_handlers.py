"""A new application queues the secretaries' notice, once it is committed."""

from django.db import transaction
from django.db.models.signals import post_save

from .models import Application
from .tasks import notify_secretaries


def _created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:  # not for rows loaded by a restore or a fixture
        transaction.on_commit(lambda: notify_secretaries.enqueue(instance.pk))


def connect():
    post_save.connect(_created, sender=Application, dispatch_uid="iskra-members-notify")
