"""Related articles: ranked when articles are published, stored, read with one query.

Ranking reads the tag index: articles of the same section sharing more tags come first
(newer first among equals), then the newest articles of the section fill the list. That
costs a grouped query whose time grows with the section, so it runs once per publish,
in a task, instead of on every page view; ``ArticlePage.get_related`` reads the result.
"""

from django.db import transaction
from django.db.models import Count
from django_tasks import task

from iskra.core.page_cache import bump_generation

# Stored places per article: more than are shown, so that an entry unpublished later
# leaves a replacement behind without re-ranking.
STORED_COUNT = 8


def rank_related(article, limit=STORED_COUNT):
    """Return the ids of up to ``limit`` articles related to ``article``, best first."""
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


@task()
def refresh_related(article_id, moved=False):
    """Re-rank a published article and the articles closest to it.

    A new article belongs in the lists of the articles it is most related to, so their
    lists are re-ranked too (after a move to another section, also the lists that hold
    it); then the page cache moves on so readers see the change.
    Returns how many lists were stored.
    """
    from .models import ArticlePage, RelatedArticle

    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    if not article.live:
        RelatedArticle.objects.filter(article=article).delete()
        return 0
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
