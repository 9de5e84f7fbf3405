"""The editions of pages: one row per page and format (EPUB, PDF), whatever the page is.

Which pages have editions, and what is in them, the content apps say through an
``EditionSource`` (``iskra.core.contracts``); ``services.build_editions`` builds them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionFormat(models.TextChoices):
    EPUB = "epub", "EPUB"
    PDF = "pdf", "PDF"


class EditionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    BUILT = "built", _("Built")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not built")


class EditionScript(models.TextChoices):
    CYRILLIC = "", _("As written")
    LATIN = "latn", _("Kazakh in Latin letters")


class Edition(models.Model):
    """A page's edition in one format; the last good file stays online while a new build
    fails or is pending."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="editions")
    format = models.CharField(_("Format"), max_length=8, choices=EditionFormat.choices)
    # A Kazakh page's editions come in both scripts, the Latin one built from the same
    # document (iskra.core.kazakh_latin).
    script = models.CharField(
        _("Script"), max_length=8, choices=EditionScript.choices, blank=True, default=""
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=EditionStatus.choices, default=EditionStatus.PENDING
    )
    file = models.FileField(_("File"), upload_to="editions/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    word_count = models.PositiveIntegerField(default=0)
    source_digest = models.CharField(max_length=64, blank=True)  # what the file was built from
    attempted_digest = models.CharField(max_length=64, blank=True)  # the last attempt's
    error = models.TextField(_("Last error"), blank=True)
    built_at = models.DateTimeField(_("Built"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("Last attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Edition")
        verbose_name_plural = _("Editions")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "format", "script"], name="edition_once_per_format_and_script"
            )
        ]

    def __str__(self):
        return (
            f"{self.page_id} {self.format}{'-' + self.script if self.script else ''}: {self.status}"
        )

    @property
    def is_available(self):
        return bool(self.file)
