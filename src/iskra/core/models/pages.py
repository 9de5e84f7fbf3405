"""Page types of the core: the base page, the home page and standard pages."""

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BaseStreamBlock
from .people import Person
from .queries import restricted_paths


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
        raw = request.GET.get("page", "1")
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
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
