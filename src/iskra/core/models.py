"""Core content: the home page, standard pages, people and the site's settings."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from .blocks import BaseStreamBlock


class SocialFields(models.Model):
    """Fields that shape how a page looks when shared (OpenGraph, Twitter, Telegram)."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in link previews; the cover image is used when empty."),
    )
    social_description = models.CharField(_("Social description"), max_length=300, blank=True)

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("social_image"), FieldPanel("social_description")],
            heading=_("Link previews"),
        )
    ]

    class Meta:
        abstract = True


class ListingFields(models.Model):
    """Fields that override how a page appears in listings."""

    listing_title = models.CharField(_("Listing title"), max_length=255, blank=True)
    listing_summary = models.CharField(_("Listing summary"), max_length=300, blank=True)

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("listing_title"), FieldPanel("listing_summary")],
            heading=_("Listings"),
        )
    ]

    class Meta:
        abstract = True


class BasePage(SocialFields, ListingFields, Page):
    """Abstract base of every public page: link previews, listings, breadcrumbs."""

    show_in_menus_default = False

    promote_panels = (
        Page.promote_panels + SocialFields.promote_panels + ListingFields.promote_panels
    )

    class Meta:
        abstract = True

    def get_description(self):
        """Return the text used for meta description and link previews."""
        return self.social_description or self.listing_summary or self.search_description

    def get_preview_image(self):
        """Return the image used for link previews, if any."""
        return self.social_image

    def get_breadcrumbs(self):
        """Return the ancestors between the language's home page and this page."""
        if not hasattr(self, "_breadcrumbs"):
            self._breadcrumbs = (
                list(
                    Page.objects.ancestor_of(self)
                    .filter(depth__gt=2)
                    .only("id", "title", "slug", "url_path", "depth", "path", "locale_id")
                )
                if self.depth > 3
                else []
            )
        return self._breadcrumbs

    def get_view_restrictions(self):
        """Return the restrictions on this page; no query when no section is private."""
        if not any(self.path.startswith(path) for path in restricted_paths()):
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class PaginatedMixin:
    """Shared pagination for index pages: bad or out-of-range ``?page=`` never errors."""

    per_page = 20

    def paginate(self, request, queryset):
        """Return the requested page of ``queryset``.

        A non-numeric or non-positive ``?page=`` raises ``PageRedirect`` to the first page;
        a page past the end raises Http404.
        """
        from django.core.paginator import Paginator

        raw = request.GET.get("page", "1")
        if not raw.isdigit() or int(raw) < 1:
            raise PageRedirect(request.path)
        number = int(raw)
        paginator = Paginator(queryset, self.per_page)
        if number > 1 and number > paginator.num_pages:
            raise Http404
        return paginator.page(number if number <= paginator.num_pages else 1)

    def serve(self, request, *args, **kwargs):
        try:
            return super().serve(request, *args, **kwargs)
        except PageRedirect as redirect:
            return HttpResponsePermanentRedirect(redirect.url)


class PageRedirect(Exception):
    """Raised from page logic to answer with a permanent redirect to ``url``."""

    def __init__(self, url):
        super().__init__(url)
        self.url = url


class HomePage(RoutablePageMixin, BasePage):  # noqa: DJ008  (Page defines __str__)
    """The home page of one language tree; also serves the people pages."""

    intro = models.TextField(_("Introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("Home page")
        verbose_name_plural = _("Home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["home_blocks"] = [
            block
            for hook in hooks.get_hooks("iskra_home_blocks")
            for block in (hook(self, request) or [])
        ]
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("people/", name="people")
    def people(self, request):
        people = Person.objects.filter(locale_id=self.locale_id).select_related("photo")
        return self.render(
            request,
            context_overrides={"people": people, "routed_title": _("People")},
            template="core/person_index.html",
        )

    @path("people/<slug:slug>/", name="person")
    def person(self, request, slug):
        person = get_object_or_404(
            Person.objects.select_related("photo"), locale_id=self.locale_id, slug=slug
        )
        sections = [
            section
            for hook in hooks.get_hooks("iskra_person_sections")
            for section in (hook(person, request) or [])
        ]
        return self.render(
            request,
            context_overrides={"person": person, "sections": sections},
            template="core/person_page.html",
        )


class StandardPage(BasePage):  # noqa: DJ008  (Page defines __str__)
    """A plain page: about, programme, contacts, joining."""

    lead = models.TextField(_("Lead"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("Body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    parent_page_types = ["core.HomePage", "core.StandardPage"]

    class Meta:
        verbose_name = _("Standard page")
        verbose_name_plural = _("Standard pages")


class Person(TranslatableMixin, index.Indexed, models.Model):
    """An author, speaker or moderator; one record per language."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Slug"), max_length=200, allow_unicode=False)
    role = models.CharField(_("Role"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = RichTextField(_("Short biography"), blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("role"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Person")
        verbose_name_plural = _("People")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_person_slug")
        ]

    def __str__(self):
        return self.name

    def get_url(self, request=None):
        """Return the person's public page in their language's tree."""
        home = HomePage.objects.filter(locale_id=self.locale_id).first()
        if home is None:
            return None
        return home.url + home.reverse_subpage("person", kwargs={"slug": self.slug})


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
            [FieldPanel("telegram_url"), FieldPanel("youtube_url")], heading=_("Channels")
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
        InlinePanel("classics_links", heading=_("Works of the classics (sidebar)")),
        InlinePanel("footer_links", heading=_("Footer links")),
    ]

    class Meta:
        verbose_name = _("Site settings")

    def __str__(self):
        return self.name_ru

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


def restricted_paths():
    """Return the tree paths of private sections, read once per site generation."""
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    from .page_cache import current_generation

    key = f"iskra:restricted-paths:{current_generation()}"
    paths = cache.get(key)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, 3600)
    return paths


def exclude_private(queryset):
    """Return ``queryset`` without pages in private sections.

    Does what Wagtail's ``.public()`` does, but reads the list of restricted sections
    once per site generation instead of once per query.
    """
    from django.db.models import Q

    paths = restricted_paths()
    if not paths:
        return queryset
    private = Q()
    for private_path in paths:
        private |= Q(path__startswith=private_path)
    return queryset.exclude(private)


def below(page, *, depth=None):
    """Return a filter for the pages under ``page`` (only at ``depth`` when given).

    Wagtail's ``child_of``/``descendant_of`` compile to ``path LIKE 'prefix%'``, which
    SQLite cannot answer from the path index, so every listing scanned the whole page
    table. A range on the path (tree paths use only 0-9 and A-Z) uses the index on
    SQLite and PostgreSQL alike.
    """
    from django.db.models import Q

    condition = Q(path__gt=page.path, path__lte=page.path.ljust(255, "Z"))
    if depth is not None:
        condition &= Q(depth=depth)
    return condition
