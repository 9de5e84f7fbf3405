"""Page types of the core: the base page, the home page and standard pages."""

import html
import re
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index

from ..blocks import BaseStreamBlock
from ..pictures import pictures
from .people import Person
from .queries import branch_pages, restricted_paths


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


# Page paths the ``wagtail_serve`` pattern accepts, and the per-language URL prefix
# reversed once per process: reversing per link under a language override was the largest
# single cost of listing pages (a section page shows twenty links).
_SERVABLE_PATH = re.compile(r"(?:[\w\-]+/)*")
_SERVE_PREFIXES = {}
_CONTENT_LANGUAGES = {code for code, _name in settings.LANGUAGES}
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


def _serve_prefix(language_code):
    key = (language_code, get_script_prefix())
    prefix = _SERVE_PREFIXES.get(key)
    if prefix is None:
        with translation.override(language_code):
            prefix = _SERVE_PREFIXES[key] = reverse("wagtail_serve", args=("",))
    return prefix


def _site_root_paths(request):
    if request is None:
        return Site.get_site_root_paths()
    try:
        return request._wagtail_cached_site_root_paths
    except AttributeError:
        request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        return request._wagtail_cached_site_root_paths


def url_parts_for(url_path, request=None):
    """Return ``(site_id, root_url, path)`` for a page's ``url_path``, as Wagtail would.

    Returns None where Wagtail's own, slower computation is needed: a page that belongs
    to several sites, a language outside LANGUAGES, a path the URL pattern rejects.
    """
    possible = [root for root in _site_root_paths(request) if url_path.startswith(root.root_path)]
    if len(possible) != 1 or not settings.WAGTAIL_I18N_ENABLED:
        return None
    site_id, root_path, root_url, language_code = possible[0]
    relative = url_path[len(root_path) :]
    if language_code not in _CONTENT_LANGUAGES or not _SERVABLE_PATH.fullmatch(relative):
        return None
    return site_id, root_url, _serve_prefix(language_code) + quote(relative, safe=_SAFE)


def url_for(url_path, request=None):
    """Return what ``Page.get_url(request)`` returns for the page at ``url_path``.

    Lets listings link pages they read as plain rows, without building page objects.
    """
    parts = url_parts_for(url_path, request)
    if parts is None:
        return Page(url_path=url_path).get_url(request)
    site_id, root_url, page_path = parts
    if request is not None:
        site = Site.find_for_request(request)
        if site is not None and site.pk == site_id:
            return page_path
    if len({root.site_id for root in _site_root_paths(request)}) == 1:
        return page_path
    return root_url + page_path


# The rendition used for link previews (OpenGraph, Twitter, JSON-LD): 1.91:1.
PREVIEW_SPEC = "fill-1200x630"
DESCRIPTION_CHARACTERS = 300  # a search result or link preview shows about 160


def description_of(text):
    """Return ``text`` (plain or HTML) as one line for a meta description or link preview."""
    text = text or ""
    if "<" in text:
        text = strip_tags(text)
    if "&" in text:
        text = html.unescape(text)
    plain = " ".join(text.split())
    if len(plain) <= DESCRIPTION_CHARACTERS:
        return plain
    return Truncator(plain).chars(DESCRIPTION_CHARACTERS)


class Crumb:
    """One step of a breadcrumb trail: a title and the page's URL."""

    __slots__ = ("title", "url_path")

    def __init__(self, title, url_path):
        self.title = title
        self.url_path = url_path

    def get_url(self, request=None):
        return url_for(self.url_path, request)

    @property
    def url(self):
        return self.get_url()


class BasePage(SocialFields, ListingFields, Page):
    """Abstract base of every public page: link previews, listings, breadcrumbs."""

    show_in_menus_default = False
    description_fields = ()  # the fields that describe the page when no description is set

    promote_panels = (
        Page.promote_panels + SocialFields.promote_panels + ListingFields.promote_panels
    )

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.pk:
            # Computed once with the request (a request-less ``page.url`` reads the site
            # list from the cache on every use).
            context["page_url"] = self.get_url(request)
            context["canonical_url"] = request.build_absolute_uri(context["page_url"])
        # Read once for the meta description and the link preview (routes set their own).
        context["preview_description"] = self.get_description()
        wanted = self.get_pictures()
        found = pictures(wanted.values())
        for name, pair in wanted.items():
            context[name] = found.get(pair)
        return context

    def get_pictures(self):
        """Return ``{context name: (image id, filter spec)}`` of the renditions the page shows.

        All are read with one query (``iskra.core.pictures``); the link preview image is
        ``preview_picture``.
        """
        image_id = self.get_preview_image_id()
        return {"preview_picture": (image_id, PREVIEW_SPEC)} if image_id else {}

    def get_preview_image_id(self):
        """Return the id of the image used for link previews, if any."""
        return self.social_image_id

    def get_url_parts(self, request=None):
        """Return Wagtail's URL parts, built without a ``reverse()`` per page.

        Gives what ``Page.get_url_parts`` gives (a test compares both on every demo
        page); falls back to it for anything unusual.
        """
        return url_parts_for(self.url_path, request) or super().get_url_parts(request)

    def get_description(self):
        """Return the text of the meta description and link previews: the editor's
        social, listing or search description, else the first of ``description_fields``
        (the page's own lead, introduction or biography) that has text."""
        text = self.social_description or self.listing_summary or self.search_description
        for name in () if text else self.description_fields:
            text = description_of(str(getattr(self, name, "") or ""))
            if text:
                break
        return description_of(text)

    def get_breadcrumbs(self):
        """Return the ancestors between the language's home page and this page.

        Each is a ``Crumb`` (title, url); read from the cached list of pages that have
        children, so a page view costs no query for them.
        """
        if not hasattr(self, "_breadcrumbs"):
            branches = branch_pages()
            crumbs = []
            for depth in range(3, self.depth):
                found = branches.get(self.path[: depth * self.steplen])
                if found is None:  # a branch newer than the cached list
                    crumbs = [
                        Crumb(page.title, page.url_path)
                        for page in Page.objects.ancestor_of(self)
                        .filter(depth__gt=2)
                        .only("title", "url_path")
                    ]
                    break
                crumbs.append(Crumb(*found))
            self._breadcrumbs = crumbs
        return self._breadcrumbs

    def get_view_restrictions(self):
        """Return the restrictions on this page; no query when no section is private."""
        if not any(self.path.startswith(path) for path in restricted_paths()):
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
    """The home page of one language tree; also serves the people pages.

    Its link preview names the organization and gives the tagline (home_page.html).
    """

    intro = models.TextField(_("Introduction"), blank=True)
    description_fields = ("intro",)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("Home page")
        verbose_name_plural = _("Home pages")

    def get_home_blocks(self, request):
        """Return the blocks the content apps contribute to the home page."""
        return [
            block
            for hook in hooks.get_hooks("iskra_home_blocks")
            for block in (hook(self, request) or [])
        ]

    @path("")
    def index(self, request):
        # Only the home page itself shows the blocks, not the people pages routed here.
        return self.render(
            request, context_overrides={"home_blocks": self.get_home_blocks(request)}
        )

    @path("people/", name="people")
    def people(self, request):
        people = Person.objects.filter(locale_id=self.locale_id).select_related("photo")
        return self.render(
            request,
            context_overrides={
                "people": people,
                "routed_title": _("People"),
                "preview_title": _("People"),
                "preview_description": _("Authors, speakers and the people the site writes about."),
            },
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
            context_overrides={
                "person": person,
                "sections": sections,
                "preview_title": person.name,
                "preview_description": ", ".join(filter(None, (person.name, person.role))),
            },
            template="core/person_page.html",
        )


class StandardPage(BasePage):  # noqa: DJ008  (Page defines __str__)
    """A plain page: about, programme, contacts, joining."""

    lead = models.TextField(_("Lead"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("Body"), blank=True)
    description_fields = ("lead",)

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    parent_page_types = ["core.HomePage", "core.StandardPage"]

    class Meta:
        verbose_name = _("Standard page")
        verbose_name_plural = _("Standard pages")
