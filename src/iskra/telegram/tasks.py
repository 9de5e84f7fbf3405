"""Telegram tasks: thin wrappers that load by primary key and call a service."""

from django_tasks import task

from . import services
from .models import TelegramPost


@task()
def deliver_post(post_id):
    """Send, edit or delete one page's post (idempotent: a second run does nothing)."""
    post = TelegramPost.objects.filter(pk=post_id).first()
    if post is None:
        return None
    return services.deliver(post)
