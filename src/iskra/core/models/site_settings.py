"""The organization's identity, links and rules, in both languages."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


def localized_field(obj, name):
    """Return ``obj.<name>_<active language>``, falling back to the Russian value."""
    language = (translation.get_language() or "ru").split("-")[0]
    value = getattr(obj, f"{name}_{language}", "")
    return value or getattr(obj, f"{name}_ru", "")


class BilingualLink(Orderable):
    title_ru = models.CharField(_("Title (Russian)"), max_length=200)
    title_kk = models.CharField(_("Title (Kazakh)"), max_length=200, blank=True)
    url = models.CharField(
        _("Link"), max_length=500, help_text=_("An address on this site (/ru/...) or elsewhere.")
    )

    panels = [FieldRowPanel([FieldPanel("title_ru"), FieldPanel("title_kk")]), FieldPanel("url")]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.title_ru

    @property
    def title(self):
        return localized_field(self, "title")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, ClusterableModel):
    """The organization's identity, links and rules, in both languages."""

    name_ru = models.CharField(_("Name (Russian)"), max_length=200)
    name_kk = models.CharField(_("Name (Kazakh)"), max_length=200, blank=True)
    short_name_ru = models.CharField(_("Short name (Russian)"), max_length=40, blank=True)
    short_name_kk = models.CharField(_("Short name (Kazakh)"), max_length=40, blank=True)
    tagline_ru = models.CharField(_("Tagline (Russian)"), max_length=300, blank=True)
    tagline_kk = models.CharField(_("Tagline (Kazakh)"), max_length=300, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    telegram_url = models.URLField(_("Telegram channel"), blank=True)
    youtube_url = models.URLField(_("YouTube channel"), blank=True)
    mirror_addresses = models.TextField(
        _("Mirror addresses"),
        blank=True,
        help_text=_(
            "One address a line: copies of the site on other domains, onion services or "
            "IPFS gateways (iskra export-mirror). The footer lists them for readers."
        ),
    )
    has_telegram_latin_link = models.BooleanField(
        _("Telegram posts of Kazakh pages also link to the Latin view"),
        default=False,
        help_text=_("Adds a second button: the same page in the Kazakh Latin alphabet."),
    )
    reprint_notice_ru = models.TextField(_("Reprint notice (Russian)"), blank=True)
    reprint_notice_kk = models.TextField(_("Reprint notice (Kazakh)"), blank=True)
    copyright_holder = models.CharField(_("Copyright holder"), max_length=200, blank=True)
    copyright_first_year = models.PositiveIntegerField(
        _("First year of publication"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    is_copy_attribution_enabled = models.BooleanField(
        _("Add the source to copied text"), default=True
    )
    copy_attribution_threshold = models.PositiveIntegerField(
        _("Copied characters that trigger the source line"),
        default=200,
        validators=[MinValueValidator(1)],
    )

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_kk")]),
                FieldRowPanel([FieldPanel("short_name_ru"), FieldPanel("short_name_kk")]),
                FieldRowPanel([FieldPanel("tagline_ru"), FieldPanel("tagline_kk")]),
                FieldPanel("logo"),
            ],
            heading=_("Organization"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("telegram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("mirror_addresses"),
                FieldPanel("has_telegram_latin_link"),
            ],
            heading=_("Channels"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reprint_notice_ru"),
                FieldPanel("reprint_notice_kk"),
                FieldRowPanel([FieldPanel("copyright_holder"), FieldPanel("copyright_first_year")]),
                FieldRowPanel(
                    [
                        FieldPanel("is_copy_attribution_enabled"),
                        FieldPanel("copy_attribution_threshold"),
                    ]
                ),
            ],
            heading=_("Reprints and copyright"),
        ),
        InlinePanel(
            "classics_links",
            heading=_("Works of the classics (sidebar): links after the library's authors"),
        ),
        InlinePanel("footer_links", heading=_("Footer links")),
    ]

    class Meta:
        verbose_name = _("Site settings")

    def __str__(self):
        return self.name_ru

    def clean(self):
        super().clean()
        check = URLValidator(schemes=["http", "https"])
        for address in self.mirror_urls:
            try:
                check(address)
            except ValidationError:
                raise ValidationError(
                    {
                        "mirror_addresses": _(
                            "“%(address)s” is not a web address (http:// or https://)."
                        )
                        % {"address": address}
                    }
                ) from None

    @property
    def mirror_urls(self):
        """Return the mirror addresses, one a line, without blank lines."""
        return [line.strip() for line in self.mirror_addresses.splitlines() if line.strip()]

    @property
    def name(self):
        return localized_field(self, "name")

    @property
    def short_name(self):
        return localized_field(self, "short_name")

    @property
    def tagline(self):
        return localized_field(self, "tagline")

    @property
    def reprint_notice(self):
        return localized_field(self, "reprint_notice")

    @cached_property
    def copyright_years(self):
        """Return "2022–2026", or the single year when the site started this year."""
        current = timezone.localdate().year
        first = self.copyright_first_year or current
        return str(current) if first >= current else f"{first}–{current}"


class ClassicsLink(BilingualLink):
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="classics_links")


class FooterLink(BilingualLink):
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="footer_links")
