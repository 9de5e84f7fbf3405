"""Telegram tasks: thin wrappers that load by primary key and call a service."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from iskra.core.background import describe_task

from . import services
from .models import TelegramPost


@task()
def deliver_post(post_id):
    """Send, edit or delete one page's post (idempotent: a second run does nothing)."""
    post = TelegramPost.objects.filter(pk=post_id).first()
    if post is None:
        return None
    return services.deliver(post)


def _page_of_post(args, kwargs):
    return TelegramPost.objects.filter(pk=args[0]).values_list("page_id", flat=True).first()


describe_task(deliver_post, _("Telegram post"), page_of=_page_of_post)
