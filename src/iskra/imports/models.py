"""What was imported from where, the history of site imports, and the old addresses
readers ask for that lead nowhere."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """One source item (a Telegram message, a DLE post, a WordPress page, an uploads
    file ...) and what it became, so that importing the same source again adds nothing."""

    source = models.CharField(_("Source"), max_length=32)
    container = models.CharField(_("Channel or file"), max_length=100)
    item = models.CharField(_("Item"), max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An image or document it became (``container`` says which), when not a page.
    object_id = models.PositiveIntegerField(null=True, blank=True)
    # The digest of the item as last imported: a re-import updates only what changed.
    digest = models.CharField(max_length=32, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Imported item")
        verbose_name_plural = _("Imported items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "container", "item"], name="imported_item_unique"
            )
        ]

    def __str__(self):
        return f"{self.source}:{self.container}/{self.item}"


class SiteImport(models.Model):
    """One run of ``import-dle`` or ``import-wordpress`` (from the command or the admin)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("Source"), max_length=32)
    file_name = models.CharField(_("File"), max_length=255)
    is_dry_run = models.BooleanField(_("Dry run"), default=False)
    status = models.CharField(_("Status"), max_length=16, choices=Status, default=Status.RUNNING)
    started_at = models.DateTimeField(_("Started"), default=timezone.now)
    finished_at = models.DateTimeField(_("Finished"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(_("Summary"), default=list, blank=True)
    details = models.JSONField(_("Details"), default=list, blank=True)
    error = models.TextField(_("Error"), blank=True)

    class Meta:
        verbose_name = _("Site import")
        verbose_name_plural = _("Site imports")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source} {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class MissingAddress(models.Model):
    """An address readers asked for that no page, redirect or old id answers: its path
    and how often (nothing about who asked)."""

    path = models.CharField(_("Address"), max_length=255, unique=True)
    hits = models.PositiveIntegerField(_("Requests"), default=0)
    first_seen = models.DateTimeField(_("First requested"), default=timezone.now)
    last_seen = models.DateTimeField(_("Last requested"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Address not found")
        verbose_name_plural = _("Addresses not found")
        ordering = ["-hits"]

    def __str__(self):
        return self.path
