"""Factories for news: sections and articles with tags, authors and covers."""

import datetime

from django.utils import timezone

from iskra.news.models import ArticleAuthor, ArticlePage, SectionPage

from . import core


def section(language="ru", title="Рабочее движение"):
    home = core.home(language)
    page = SectionPage(title=title, slug=core.unique("section"))
    home.add_child(instance=page)
    return core.publish(page)


def article(
    *,
    section,
    title="Забастовка на руднике",
    lead="Шахтёры требуют повышения зарплаты.",
    tags=(),
    authors=(),
    days_ago=0,
    publish=True,
    **fields,
):
    """Create an article in ``section``; ``authors`` are ``Person`` objects."""
    page = ArticlePage(
        title=title,
        slug=core.unique("article"),
        lead=lead,
        date=fields.pop("date", timezone.now() - datetime.timedelta(days=days_ago)),
        is_crossposted=False,
        **fields,
    )
    section.add_child(instance=page)
    if tags:
        page.tags.set(list(tags))
    for order, person in enumerate(authors):
        ArticleAuthor.objects.create(article=page, person=person, sort_order=order)
    page.save()
    if publish:
        core.publish(page)
    return ArticlePage.objects.get(pk=page.pk)
