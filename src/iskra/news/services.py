"""News operations: article cards for listings and the stored related-article lists.

Cards are what listings show, read as plain rows instead of page objects: a listing of
twenty articles built from page objects spent most of its time creating them (Wagtail
pages are cluster models) and asking each for its URL and picture. Cards are built from
one query, one rendition query and the URL prefix of the article's language.

Related articles are ranked from the tag index: articles of the same section sharing more
tags come first (newer first among equals), then the newest articles of the section fill
the list. That grouped query grows with the section, so it runs once per publish (the
``refresh_related`` task) instead of on every page view; ``ArticlePage.get_related`` reads
the stored list.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from wagtail.models import Page

from iskra.core.models import restricted_paths, url_for
from iskra.core.page_cache import bump_generation
from iskra.core.pictures import Picture, pictures
from iskra.core.rows import as_datetime, fetch
from iskra.search import services as search

CARD_VALUES = (
    "pk",
    "title",
    "listing_title",
    "listing_summary",
    "lead",
    "date",
    "url_path",
    "cover_image_id",
)
CARD_PICTURE = "fill-400x225"
COMPACT_PICTURE = "fill-160x100"
LEAD_PICTURE = "fill-800x450"
# Stored places per article: more than are shown, so that an entry unpublished later
# leaves a replacement behind without re-ranking.
STORED_COUNT = 8
ARTICLE_KIND = "article"  # the kind of articles in the search index (searchable.PROVIDER)


@dataclass(slots=True)
class Card:
    pk: int
    title: str
    url: str
    date: datetime
    summary: str
    image_id: int | None
    image: Picture | None = None


def card_rows(queryset):
    """Return ``queryset`` (of articles) as the rows cards are built from."""
    return queryset.values(*CARD_VALUES)


def related_rows(article, limit):
    """Return card rows of ``article``'s stored related list, live and public, in rank order.

    Plain SQL: this runs on every article view (see ``iskra.core.rows``).
    """
    from .models import ArticlePage, RelatedArticle

    page_table = Page._meta.db_table
    rows = fetch(
        f"SELECT a.page_ptr_id, p.title, a.listing_title, a.listing_summary, a.lead, a.date, "  # noqa: S608  (only table names are formatted in)
        f"p.url_path, a.cover_image_id, p.path "
        f"FROM {RelatedArticle._meta.db_table} r "
        f"JOIN {ArticlePage._meta.db_table} a ON a.page_ptr_id = r.related_id "
        f"JOIN {page_table} p ON p.id = a.page_ptr_id "
        f"WHERE r.article_id = %s AND p.live = %s ORDER BY r.rank",
        [article.pk, True],
    )
    private = tuple(restricted_paths())
    return [
        dict(zip(CARD_VALUES, (*row[:5], as_datetime(row[5]), *row[6:8]), strict=True))
        for row in rows
        if not (private and row[8].startswith(private))
    ][:limit]


class SectionListing:
    """A section's live public articles, newest first, as card rows, for Django's Paginator.

    Gives the paginator what it asks of a queryset (``count()`` and slicing) with two
    fixed SQL queries, optionally limited to one tag.
    """

    def __init__(self, section_id, tag_id=None):
        from .models import ArticlePage, ArticleTag

        conditions = ["a.section_id = %s", "p.live = %s"]
        self.params = [section_id, True]
        for private in restricted_paths():
            conditions.append("NOT (p.path >= %s AND p.path <= %s)")
            self.params += [private, private.ljust(255, "Z")]
        if tag_id is not None:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {ArticleTag._meta.db_table} tagged "  # noqa: S608  (table name)
                f"WHERE tagged.content_object_id = a.page_ptr_id AND tagged.tag_id = %s)"
            )
            self.params.append(tag_id)
        self.source = (
            f"FROM {ArticlePage._meta.db_table} a "
            f"JOIN {Page._meta.db_table} p ON p.id = a.page_ptr_id "
            f"WHERE {' AND '.join(conditions)}"
        )
        self._count = None

    def count(self):
        if self._count is None:
            self._count = fetch(f"SELECT COUNT(*) {self.source}", self.params)[0][0]  # noqa: S608  (built from fixed parts)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("SectionListing supports plain slices only")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        if stop <= start:
            return []
        rows = fetch(
            f"SELECT a.page_ptr_id, p.title, a.listing_title, a.listing_summary, a.lead, "  # noqa: S608  (built from fixed parts)
            f"a.date, p.url_path, a.cover_image_id {self.source} "
            f"ORDER BY a.date DESC, a.page_ptr_id DESC LIMIT %s OFFSET %s",
            [*self.params, stop - start, start],
        )
        return [
            dict(zip(CARD_VALUES, (*row[:5], as_datetime(row[5]), *row[6:]), strict=True))
            for row in rows
        ]


def build_cards(rows, request=None, spec=CARD_PICTURE):
    """Return a Card per row (from ``card_rows``), its picture rendered with ``spec``."""
    rows = list(rows)
    found = pictures((row["cover_image_id"], spec) for row in rows)
    return [
        Card(
            pk=row["pk"],
            title=row["listing_title"] or row["title"],
            url=url_for(row["url_path"], request),
            date=row["date"],
            summary=row["listing_summary"] or row["lead"],
            image_id=row["cover_image_id"],
            image=found.get((row["cover_image_id"], spec)),
        )
        for row in rows
    ]


def rank_related(article, limit=STORED_COUNT):
    """Return the ids of up to ``limit`` articles related to ``article``, best first.

    By content (``iskra.search.services.similar_to``: the distinctive terms it shares with
    other articles of its language, then shared tags and closeness in time); an article
    not in the search index (private, or not yet indexed) falls back to its section's
    articles sharing its tags, then its section's newest.
    """
    ranked = search.similar_to(
        ARTICLE_KIND,
        article.pk,
        limit=limit,
        tags=_tags_of([article.pk]).get(article.pk, set()),
        tags_of=_tags_of,
    )
    ranked = ranked or []
    if len(ranked) < limit:
        ranked += [pk for pk in _rank_by_tags(article, limit) if pk not in ranked]
    return ranked[:limit]


def _tags_of(article_ids):
    from .models import ArticleTag

    tags = {}
    for article_id, tag_id in ArticleTag.objects.filter(
        content_object_id__in=list(article_ids)
    ).values_list("content_object_id", "tag_id"):
        tags.setdefault(article_id, set()).add(tag_id)
    return tags


def _rank_by_tags(article, limit):
    """The section's articles sharing most tags with ``article``, then its newest."""
    from iskra.core.models import exclude_private

    from .models import ArticlePage, ArticleTag

    if not article.section_id:
        return []
    own_tags = ArticleTag.objects.filter(content_object_id=article.pk).values("tag_id")
    ranked = list(
        ArticleTag.objects.filter(
            tag_id__in=own_tags,
            content_object__section_id=article.section_id,
            content_object__live=True,
        )
        .exclude(content_object_id=article.pk)
        .values("content_object_id")
        .annotate(shared_tags=Count("id"))
        .order_by("-shared_tags", "-content_object__date", "-content_object_id")
        .values_list("content_object_id", flat=True)[:limit]
    )
    siblings = exclude_private(
        ArticlePage.objects.filter(section_id=article.section_id).live().exclude(pk=article.pk)
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


def store_related(article):
    """Rank ``article``'s related articles and store the list; return the ids stored."""
    from .models import RelatedArticle

    ranked = rank_related(article)
    with transaction.atomic():
        RelatedArticle.objects.filter(article=article).delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article=article, related_id=pk, rank=rank)
            for rank, pk in enumerate(ranked)
        )
    return ranked


def refresh_related_lists(article, *, moved=False):
    """Re-rank a published article's related list and the lists of the articles closest to it.

    A new article belongs in the lists of the articles it is most related to, so their
    lists are re-ranked too (after a move to another section, also the lists that hold
    it); then the page cache moves on so readers see the change. An article that is no
    longer live loses its list. Returns how many lists were stored.
    """
    from .models import ArticlePage, RelatedArticle

    if not article.live:
        RelatedArticle.objects.filter(article=article).delete()
        return 0
    search.index_page(article)  # ranking reads the index; this task may run before its handler
    neighbours = set(store_related(article))
    if moved:
        # The lists that hold it were ranked in its former section.
        neighbours |= set(
            RelatedArticle.objects.filter(related=article).values_list("article_id", flat=True)
        )
    for neighbour in ArticlePage.objects.filter(pk__in=neighbours):
        store_related(neighbour)
    bump_generation()
    return 1 + len(neighbours)
