"""Editors' spellings for the Kazakh Latin view: proper names and loans the rules get wrong."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from ..kazakh_latin import CYRILLIC, WORD


class LatinSpelling(models.Model):
    """One Cyrillic word and how the Latin view writes it; no Latin form keeps it Cyrillic."""

    cyrillic = models.CharField(
        _("Word in Cyrillic"),
        max_length=100,
        unique=True,
        help_text=_("One word, as it is written in the Kazakh text; capitals do not matter."),
    )
    latin = models.CharField(
        _("In Latin letters"),
        max_length=100,
        blank=True,
        help_text=_(
            "Leave empty for a word that stays in Cyrillic in the Latin view "
            "(a Russian name, for example)."
        ),
    )
    note = models.CharField(_("Note"), max_length=200, blank=True)

    panels = [FieldPanel("cyrillic"), FieldPanel("latin"), FieldPanel("note")]

    class Meta:
        verbose_name = _("Latin spelling")
        verbose_name_plural = _("Latin spellings")
        ordering = ["cyrillic"]

    def __str__(self):
        return f"{self.cyrillic} → {self.latin or self.cyrillic}"

    def save(self, *args, **kwargs):
        self.cyrillic = self.cyrillic.strip().casefold()
        super().save(*args, **kwargs)

    def clean(self):
        self.cyrillic = self.cyrillic.strip().casefold()
        self.latin = self.latin.strip()
        if WORD.fullmatch(self.cyrillic) is None:
            raise ValidationError(
                {"cyrillic": _("Write one word in Cyrillic letters, without spaces or signs.")}
            )
        if CYRILLIC.search(self.latin):
            raise ValidationError({"latin": _("The Latin form has Cyrillic letters in it.")})
