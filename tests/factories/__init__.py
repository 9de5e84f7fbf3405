"""Factories for test content; the demo site is the shared baseline they add to."""

import itertools

from django.utils import timezone

from iskra.news.models import ArticleAuthor, ArticlePage

_counter = itertools.count(1)


def make_article(
    section,
    *,
    title=None,
    lead="Краткое содержание.",
    tags=(),
    authors=(),
    date=None,
    publish=True,
    body=None,
    **fields,
):
    """Create an article in ``section`` (published unless ``publish=False``) and return it."""
    number = next(_counter)
    article = ArticlePage(
        title=title or f"Тестовая статья {number}",
        slug=fields.pop("slug", f"test-article-{number}"),
        lead=lead,
        date=date or timezone.now(),
        body=body or [{"type": "paragraph", "value": "<p>Текст тестовой статьи.</p>"}],
        locale=section.locale,
        live=publish,
        **fields,
    )
    section.add_child(instance=article)
    if tags:
        article.tags.set(list(tags))
    if authors:
        article.article_authors = [
            ArticleAuthor(person=person, sort_order=i) for i, person in enumerate(authors)
        ]
    article.save()
    revision = article.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=article.pk)
