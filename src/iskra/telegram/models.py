"""Telegram: the channels to post to, and a record of every cross-post."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="globe")
class TelegramSettings(BaseSiteSetting):
    """Where new pages are cross-posted; the bot token is never stored here."""

    is_posting_enabled = models.BooleanField(_("Post new pages to Telegram"), default=False)
    channel_ru = models.CharField(
        _("Channel for Russian pages"),
        max_length=100,
        blank=True,
        help_text=_("@username of a public channel, or the numeric id (-100…) of a private one."),
    )
    channel_kk = models.CharField(_("Channel for Kazakh pages"), max_length=100, blank=True)
    is_deleting_on_unpublish = models.BooleanField(
        _("Delete the post when a page is unpublished or deleted"), default=True
    )

    panels = [
        FieldPanel("is_posting_enabled"),
        MultiFieldPanel(
            [FieldPanel("channel_ru"), FieldPanel("channel_kk")], heading=_("Channels")
        ),
        FieldPanel("is_deleting_on_unpublish"),
    ]

    class Meta:
        verbose_name = _("Telegram")

    def channel_for(self, language_code):
        """Return the channel configured for ``language_code``, or ""."""
        return getattr(self, f"channel_{language_code}", "") or ""


class PostStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    POSTED = "posted", _("Posted")
    RETRYING = "retrying", _("Will retry")
    FAILED = "failed", _("Failed")
    DELETED = "deleted", _("Deleted")


class TelegramPost(models.Model):
    """One page's post in one channel: what was sent, its message id, and how it went.

    The unique (page, channel) pair and a conditional claim of the row make posting
    idempotent: a task run twice, or by two app servers at once, sends one message.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_title = models.CharField(_("Page"), max_length=255)
    channel = models.CharField(_("Channel"), max_length=100)
    status = models.CharField(
        _("Status"), max_length=16, choices=PostStatus.choices, default=PostStatus.PENDING
    )
    message_id = models.BigIntegerField(_("Message"), null=True, blank=True)
    chat_username = models.CharField(max_length=100, blank=True)
    has_photo = models.BooleanField(default=False)
    # What the post shows (text and image), to tell whether a republish must edit it.
    text_digest = models.CharField(max_length=64, blank=True)
    image_digest = models.CharField(max_length=64, blank=True)
    action = models.CharField(_("Pending action"), max_length=16, default="post")
    attempts = models.PositiveIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("Last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(_("Posted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Updated"), default=timezone.now)

    class Meta:
        verbose_name = _("Telegram post")
        verbose_name_plural = _("Telegram posts")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "channel"], name="telegram_post_page_channel")
        ]

    def __str__(self):
        return f"{self.page_title} → {self.channel}"

    @property
    def url(self):
        """Return the post's public t.me address, when the channel has a username."""
        if self.message_id and self.chat_username:
            return f"https://t.me/{self.chat_username}/{self.message_id}"
        return ""


class Delivery(models.Model):
    """A message sent to a channel, kept a few minutes to pace posting per channel."""

    channel = models.CharField(max_length=100, db_index=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Telegram delivery")

    def __str__(self):
        return f"{self.channel} {self.sent_at:%H:%M:%S}"
