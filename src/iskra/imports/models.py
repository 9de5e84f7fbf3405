"""What was imported from where, so that importing the same source again adds nothing."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """One source item (a Telegram message, ...) and the page it became."""

    source = models.CharField(_("Source"), max_length=32)
    container = models.CharField(_("Channel or file"), max_length=100)
    item = models.CharField(_("Item"), max_length=100)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
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
