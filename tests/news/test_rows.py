"""The news plain-SQL reads answer what the same read through the ORM answers."""

import pytest
from wagtail.models import PageViewRestriction

from iskra.core.models import exclude_private
from iskra.news import rows
from iskra.news.cards import card_rows
from iskra.news.models import ArticlePage, ArticleTag, RelatedArticle
from tests.factories import core
from tests.factories import news as factory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def section(module_db):
    return factory.section()


@pytest.fixture(scope="module")
def articles(section):
    """Eight articles, two of them tagged «забастовка», one unpublished afterwards."""
    made = [
        factory.article(
            section=section,
            title=f"Новость {number}",
            days_ago=number,
            tags=["забастовка"] if number % 4 == 0 else ["профсоюз"],
        )
        for number in range(8)
    ]
    made[3].unpublish()
    return made


def orm_listing(section, tag=None):
    queryset = exclude_private(ArticlePage.objects.filter(section_id=section.pk).live())
    if tag is not None:
        queryset = queryset.filter(tagged_items__tag=tag)
    return list(card_rows(queryset.order_by("-date", "-pk")))


def test_section_listing_matches_the_orm_in_count_and_every_window(section, articles):
    listing = rows.SectionListing(section.pk)
    expected = orm_listing(section)

    assert listing.count() == len(expected) == 7
    assert listing[0:3] == expected[0:3]
    assert listing[2:7] == expected[2:7]
    assert listing[5:] == expected[5:]
    assert listing[4:4] == []


def test_section_listing_of_one_tag_matches_the_orm(section, articles):
    tag = ArticleTag.objects.filter(tag__name="забастовка").first().tag

    listing = rows.SectionListing(section.pk, tag.pk)

    assert listing[0:10] == orm_listing(section, tag)
    assert [row["title"] for row in listing[0:10]] == ["Новость 0", "Новость 4"]


def test_section_listing_leaves_out_private_sections_as_the_orm_does(section, articles):
    PageViewRestriction.objects.create(page=section, restriction_type="login")

    assert rows.SectionListing(section.pk).count() == len(orm_listing(section)) == 0


def test_related_rows_match_the_orm_in_rank_order_without_unpublished(articles):
    first = articles[0]
    RelatedArticle.objects.filter(article=first).delete()  # publishing ranked a list
    for rank, other in enumerate(reversed(articles[1:])):
        RelatedArticle.objects.create(article=first, related=other, rank=rank)
    ranked = RelatedArticle.objects.filter(article=first, related__live=True).order_by("rank")
    order = [link.related_id for link in ranked]
    by_pk = {row["pk"]: row for row in card_rows(ArticlePage.objects.filter(pk__in=order))}

    found = rows.related_rows(first.pk, 10)

    assert found == [by_pk[pk] for pk in order]
    assert articles[3].pk not in [row["pk"] for row in found]
    assert rows.related_rows(first.pk, 2) == [by_pk[pk] for pk in order[:2]]


def test_tags_and_authors_match_the_orm_in_their_order(section):
    people = [core.person("Бауыржан Оспанов"), core.person("Анна Ким")]
    article = factory.article(section=section, tags=["шахта", "Караганда"], authors=people)

    assert rows.article_tags(article.pk) == [
        (link.tag.name, link.tag.slug) for link in article.tagged_items.order_by("id")
    ]
    assert rows.article_authors(article.pk) == [
        (link.person.name, link.person.slug)
        for link in article.article_authors.order_by("sort_order", "id")
    ]
    assert [name for name, _slug in rows.article_authors(article.pk)] == [
        "Бауыржан Оспанов",
        "Анна Ким",
    ]
