"""News: sections and the articles in them."""

from django.db import models
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from iskra.core.blocks import BaseStreamBlock
from iskra.core.models import BasePage, PaginatedMixin, exclude_private

RELATED_COUNT = 5
# What an article card needs; loading only these keeps listings cheap to build.
CARD_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "live",
    "date",
    "lead",
    "listing_title",
    "listing_summary",
    "content_type_id",
    "section_id",
    "cover_image__id",
    "cover_image__file",
    "cover_image__width",
    "cover_image__height",
    "cover_image__title",
    "cover_image__focal_point_x",
    "cover_image__focal_point_y",
    "cover_image__focal_point_width",
    "cover_image__focal_point_height",
    "cover_image__collection_id",
    "cover_image__description",
    "cover_image__file_hash",
)


class ArticleStreamBlock(BaseStreamBlock):
    """The body of an article: the shared blocks (text, heading, image, quote, video, document)."""


class SectionPage(PaginatedMixin, RoutablePageMixin, BasePage):
    """A section such as News, Articles or Statements, listing its articles newest first."""

    intro = models.TextField(_("Introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("Section")
        verbose_name_plural = _("Sections")

    def get_articles(self):
        """Return the section's live articles, newest first, ready for a listing."""
        return (
            exclude_private(ArticlePage.objects.filter(section=self).live())
            .select_related("cover_image")
            .only(*CARD_FIELDS)
            .prefetch_related("cover_image__renditions")
            .order_by("-date", "-pk")
        )

    @path("")
    def index(self, request):
        articles = self.paginate(request, self.get_articles())
        return self.render(request, context_overrides={"articles": articles})

    @path("tag/<str:tag>/", name="tag")
    def tag(self, request, tag):
        found = Tag.objects.filter(slug=tag).first()
        if found is None:
            raise Http404
        articles = self.paginate(request, self.get_articles().filter(tags=found))
        return self.render(request, context_overrides={"articles": articles, "tag": found})


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(BasePage):
    """A news item or article with authors, a cover image, a body and tags."""

    date = models.DateTimeField(_("Publication date"), default=timezone.now, db_index=True)
    lead = models.TextField(_("Lead"), blank=True, help_text=_("One or two sentences."))
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
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []
    route_select_related = ("cover_image",)

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

    def get_description(self):
        return super().get_description() or self.listing_summary or self.lead

    def get_preview_image(self):
        return self.social_image or self.cover_image

    def get_authors(self):
        """Return the article's authors in their editorial order."""
        return [link.person for link in self.article_authors.select_related("person")]

    def get_related(self, limit=RELATED_COUNT):
        """Return articles of the same section: sharing tags first, then newest.

        Shared tags are counted from the tag index alone, so the cost follows the tags,
        not the size of the section; the newest siblings fill the remaining places.
        """
        siblings = exclude_private(
            ArticlePage.objects.filter(section_id=self.section_id).live().exclude(pk=self.pk)
        ).only(*CARD_FIELDS)
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
        found = {a.pk: a for a in siblings.filter(pk__in=ranked).select_related("cover_image")}
        related = [found[pk] for pk in ranked if pk in found]
        if len(related) < limit:
            related += list(
                siblings.exclude(pk__in=[article.pk for article in related])
                .select_related("cover_image")
                .order_by("-date", "-pk")[: limit - len(related)]
            )
        prefetch_related_objects(related, "cover_image__renditions")
        return related

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = self.get_authors()
        context["related"] = self.get_related()
        context["article_tags"] = list(self.tags.all())
        context["section"] = self.get_breadcrumbs()[-1] if self.depth > 3 else None
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
