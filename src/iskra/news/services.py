"""News operations: the stored related-article lists.

Related articles are ranked by content through the search (``similar_to``: the
distinctive terms an article shares with others of its language, then shared tags and
closeness in time); an article outside the index falls back to its section's articles
sharing its tags. The ranking grows with the site, so it runs once per publish (the
``refresh_related`` task) instead of on every page view; ``ArticlePage.get_related``
reads the stored list.
"""

from django.db import transaction

from iskra.core.bulk import insert_rows
from iskra.core.page_cache import bump_generation
from iskra.search import services as search

from .models import ARTICLE_KIND, STORED_COUNT, ArticlePage, ArticleTag, RelatedArticle


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
        tags=ArticleTag.tag_ids_of([article.pk]).get(article.pk, set()),
        tags_of=ArticleTag.tag_ids_of,
    )
    ranked = ranked or []
    if len(ranked) < limit:
        ranked += [pk for pk in article.rank_by_tags(limit) if pk not in ranked]
    return ranked[:limit]


def store_related(article):
    """Rank ``article``'s related articles and store the list; return the ids stored."""
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


def store_related_many(article_ids, *, progress=None):
    """Rank and store the related lists of many articles at once (after an import), in
    memory (``search.similar_many``); articles the content ranking finds nothing for
    fall back to their section's tags. Returns how many lists were stored."""
    ids = list(article_ids)
    ranked = search.similar_many(
        ARTICLE_KIND, ids, limit=STORED_COUNT, tags_of=ArticleTag.tag_ids_of, progress=progress
    )
    short = [pk for pk in ids if len(ranked.get(pk) or ()) < STORED_COUNT]
    for article in ArticlePage.objects.filter(pk__in=short).only("pk", "section_id"):
        found = ranked.get(article.pk) or []
        ranked[article.pk] = found + [
            pk for pk in article.rank_by_tags(STORED_COUNT) if pk not in found
        ]
    rows = [
        (article_id, related_id, rank)
        for article_id in ids
        for rank, related_id in enumerate((ranked.get(article_id) or [])[:STORED_COUNT])
    ]
    with transaction.atomic():
        for start in range(0, len(ids), 500):
            RelatedArticle.objects.filter(article_id__in=ids[start : start + 500]).delete()
        # Plain inserts: the ORM's bulk_create spent 7 of the 20,000-post import's
        # seconds building its statements.
        insert_rows(RelatedArticle, ("article", "related", "rank"), rows)
    return len(ids)
