"""Telegram in the admin (the posts report) and in the scheduler (retries)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from iskra.core.schedule import Job

from . import services, urls
from .models import TelegramPost


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("telegram/", include(urls, namespace="telegram"))]


@hooks.register("register_reports_menu_item")
def register_posts_report():
    return MenuItem(_("Telegram posts"), reverse("telegram:posts"), icon_name="globe", order=900)


@hooks.register("iskra_scheduled_jobs")
def register_delivery_job():
    """Retry posts that Telegram rate-limited or could not take, every 15 seconds."""

    def run():
        sent = services.deliver_due()
        return f"{sent} posts delivered" if sent else ""

    return [Job("telegram_deliver_due", 15, run)]


@hooks.register("register_page_header_buttons")
def telegram_status_buttons(page, user, view_name, next_url=None):
    """Show the page's Telegram status in its menu, linking to the post or its report."""
    for post in TelegramPost.objects.filter(page_id=page.pk):
        label = _("Telegram (%(channel)s): %(status)s") % {
            "channel": post.channel,
            "status": post.get_status_display(),
        }
        url = post.url or reverse("telegram:posts") + f"?page={page.pk}"
        yield Button(label, url, icon_name="globe", priority=80)
