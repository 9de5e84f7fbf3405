"""News: sections and the articles in them."""

from typing import NamedTuple

from django.db import models
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from iskra.core.blocks import BaseStreamBlock
from iskra.core.models import BasePage, PaginatedMixin, exclude_private
from iskra.search import services as search

from . import rows
from .cards import COMPACT_PICTURE, build_cards, card_rows
from .rows import SectionListing, related_rows

RELATED_COUNT = 5
# Stored places per article: more than are shown, so that an entry unpublished later
# leaves a replacement behind without re-ranking.
STORED_COUNT = 8
ARTICLE_KIND = "article"  # the kind of articles in the search index (searchable.PROVIDER)
COVER_SPEC = "width-800"


class Named(NamedTuple):
    """An author or a tag as an article page shows it."""

    name: str
    slug: str


class ArticleStreamBlock(BaseStreamBlock):
    """The body of an article: the shared blocks (text, heading, image, quote, video, document)."""


class SectionPage(PaginatedMixin, RoutablePageMixin, BasePage):
    """A section such as News, Articles or Statements, listing its articles newest first."""

    intro = models.TextField(_("Introduction"), blank=True)
    description_fields = ("intro",)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("Section")
        verbose_name_plural = _("Sections")

    def list_cards(self, request, tag=None):
        """Return the requested page of the section's articles (with ``tag``) as cards."""
        listing = self.paginate(request, SectionListing(self.pk, tag.pk if tag else None))
        listing.object_list = build_cards(listing.object_list, request)
        return listing

    @path("")
    def index(self, request):
        articles = self.list_cards(request)
        return self.render(request, context_overrides={"articles": articles})

    @path("tag/<str:tag>/", name="tag")
    def tag(self, request, tag):
        found = Tag.objects.filter(slug=tag).first()
        if found is None:
            raise Http404
        articles = self.list_cards(request, tag=found)
        return self.render(
            request,
            context_overrides={
                "articles": articles,
                "tag": found,
                "preview_title": f"#{found.name} — {self.title}",
                "preview_description": _("Articles tagged #%(tag)s in %(section)s.")
                % {"tag": found.name, "section": self.title},
            },
        )


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    @classmethod
    def tag_ids_of(cls, article_ids):
        """Return ``{article id: set of tag ids}`` of ``article_ids``."""
        tags = {}
        for article_id, tag_id in cls.objects.filter(
            content_object_id__in=list(article_ids)
        ).values_list("content_object_id", "tag_id"):
            tags.setdefault(article_id, set()).add(tag_id)
        return tags


class ArticlePage(BasePage):
    """A news item or article with authors, a cover image, a body and tags."""

    date = models.DateTimeField(_("Publication date"), default=timezone.now, db_index=True)
    lead = models.TextField(_("Lead"), blank=True, help_text=_("One or two sentences."))
    description_fields = ("lead",)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_caption = models.CharField(_("Cover caption"), max_length=300, blank=True)
    cover_credit = models.CharField(_("Cover credit"), max_length=200, blank=True)
    body = StreamField(ArticleStreamBlock(), verbose_name=_("Body"), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("Tags"))
    # The parent section, kept in step with the tree on every save and move, so that
    # "latest articles of a section" is one index range instead of a tree scan.
    section = models.ForeignKey(
        SectionPage, null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("Event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_("The event this article reports on; the event page lists it."),
    )
    is_crossposted = models.BooleanField(
        _("Post to Telegram"),
        default=True,
        help_text=_("Post to the language's Telegram channel when first published."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        InlinePanel("article_authors", heading=_("Authors"), label=_("Author")),
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("cover_image"),
                FieldRowPanel([FieldPanel("cover_caption"), FieldPanel("cover_credit")]),
            ],
            heading=_("Cover"),
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        PageChooserPanel("event", page_type="events.EventPage"),
    ]
    promote_panels = BasePage.promote_panels + [FieldPanel("is_crossposted")]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Article")
        verbose_name_plural = _("Articles")
        indexes = [models.Index(fields=["section", "-date"], name="article_section_date")]

    def save(self, *args, **kwargs):
        if self.depth and self.path:
            parent_path = self.path[: -self.steplen]
            self.section_id = (
                SectionPage.objects.filter(path=parent_path).values_list("pk", flat=True).first()
            )
        super().save(*args, **kwargs)

    def get_preview_image_id(self):
        return self.social_image_id or self.cover_image_id

    def get_pictures(self):
        wanted = super().get_pictures()
        if self.cover_image_id:
            wanted["cover"] = (self.cover_image_id, COVER_SPEC)
        return wanted

    def get_authors(self, request=None):
        """Return the article's authors (name, slug) in their editorial order."""
        if getattr(request, "is_preview", False):  # the previewed revision's, in memory
            links = self.article_authors.select_related("person")
            return [Named(link.person.name, link.person.slug) for link in links]
        return [Named(*row) for row in rows.article_authors(self.pk)]

    def get_tags(self, request=None):
        """Return the article's tags (name, slug) in the order they were given."""
        if getattr(request, "is_preview", False):  # the previewed revision's, in memory
            return [Named(tag.name, tag.slug) for tag in self.tags.all()]
        return [Named(*row) for row in rows.article_tags(self.pk)]

    def get_related(self, limit=RELATED_COUNT, request=None):
        """Return up to ``limit`` related articles as cards, read from the stored list.

        The list is ranked when an article is published (see ``iskra.news.services``), so
        rendering costs one query whatever the size of the section. Entries that have
        since been unpublished or made private are skipped (moves re-rank the lists that
        hold the moved article), and the newest siblings fill any places left.
        """
        rows = related_rows(self.pk, limit)
        if len(rows) >= limit:
            return build_cards(rows, request, spec=COMPACT_PICTURE)
        siblings = exclude_private(
            ArticlePage.objects.filter(section_id=self.section_id).live().exclude(pk=self.pk)
        )
        if not rows and self._never_ranked():
            # Never ranked (e.g. created outside the publishing workflow) and not in the
            # search index, which ranks by content: rank by tags now.
            ranked = self.rank_by_tags(limit)
            candidates = exclude_private(ArticlePage.objects.live().filter(pk__in=ranked))
            found = {row["pk"]: row for row in card_rows(candidates)}
            rows = [found[pk] for pk in ranked if pk in found]
        if len(rows) < limit:
            rows += card_rows(
                siblings.exclude(pk__in=[row["pk"] for row in rows]).order_by("-date", "-pk")
            )[: limit - len(rows)]
        return build_cards(rows, request, spec=COMPACT_PICTURE)

    def rank_by_tags(self, limit):
        """The section's articles sharing most tags with this article, then its newest."""
        if not self.section_id:
            return []
        own_tags = ArticleTag.objects.filter(content_object_id=self.pk).values("tag_id")
        ranked = list(
            ArticleTag.objects.filter(
                tag_id__in=own_tags,
                content_object__section_id=self.section_id,
                content_object__live=True,
            )
            .exclude(content_object_id=self.pk)
            .values("content_object_id")
            .annotate(shared_tags=Count("id"))
            .order_by("-shared_tags", "-content_object__date", "-content_object_id")
            .values_list("content_object_id", flat=True)[:limit]
        )
        siblings = exclude_private(
            ArticlePage.objects.filter(section_id=self.section_id).live().exclude(pk=self.pk)
        )
        if ranked:
            public = set(siblings.filter(pk__in=ranked).values_list("pk", flat=True))
            ranked = [pk for pk in ranked if pk in public]
        if len(ranked) < limit:
            ranked += list(
                siblings.exclude(pk__in=ranked)
                .order_by("-date", "-pk")
                .values_list("pk", flat=True)[: limit - len(ranked)]
            )
        return ranked

    def _never_ranked(self):
        """Is this article's related list missing (not merely empty)? Publishing indexes
        an article for search and ranks its list in one go, so an indexed article with
        an empty list was ranked and found nothing: it is not ranked again on every view."""
        if RelatedArticle.objects.filter(article=self).exists():
            return False
        return not search.has_entry(ARTICLE_KIND, self.pk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = self.get_authors(request)
        context["related"] = self.get_related(request=request)
        context["article_tags"] = self.get_tags(request)
        section = self.get_breadcrumbs()[-1] if self.depth > 3 else None
        context["section_url"] = section.get_url(request) if section else ""
        return context


class ArticleAuthor(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    person = models.ForeignKey(
        "core.Person", verbose_name=_("Person"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("Author")
        verbose_name_plural = _("Authors")


class RelatedArticle(models.Model):
    """One place in an article's stored list of related articles.

    Written by ``iskra.news.services`` when articles are published; read at render time.
    Not part of the page's revisions: it is derived data, rebuilt with
    ``iskra refresh_related``.
    """

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="related_from")
    rank = models.PositiveSmallIntegerField()
    # When the list was stored: the static mirror renders again the articles whose list
    # changed since its last copy (``core.contracts.register_change_source``).
    stored_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_once")
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id} (#{self.rank})"
