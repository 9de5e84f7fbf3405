"""Query budgets: home ≤ 15, article ≤ 12, section ≤ 10, whatever the number of articles.

Counted for a page that is not in the page cache, as right after a publish. What every
page shares and the site rebuilds once per publish (the header, menu, sidebar and footer
data, the site's root paths, the list of private sections) is warmed by a request for
another page first; image renditions, made once per image and size ever, too.
"""

import pytest
from django.core.cache import cache

from tests.factories.news import make_article

pytestmark = pytest.mark.django_db

BUDGETS = {"home": 15, "article": 12, "section": 10}


@pytest.fixture
def many_articles(news_section, ru_home):
    from iskra.core.models import Person

    people = list(Person.objects.filter(locale=ru_home.locale)[:3])
    return [
        make_article(news_section, tags=["тег-a", f"тег-{i}"], authors=people) for i in range(30)
    ]


@pytest.fixture
def one_section_with_one_article(ru_home):
    from iskra.news.models import SectionPage

    section = ru_home.add_child(instance=SectionPage(title="Пустой", slug="empty-section"))
    section.save_revision().publish()
    return make_article(section, tags=["один"])


def _count(client, url, django_assert_max_num_queries, budget):
    client.get(url)
    cache.clear()
    client.get("/ru/about/")
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("fixture", ["one_section_with_one_article", "many_articles"])
def test_home_query_budget(client, request, fixture, django_assert_max_num_queries):
    request.getfixturevalue(fixture)
    _count(client, "/ru/", django_assert_max_num_queries, BUDGETS["home"])


def test_section_query_budget_with_one_article(
    client, one_section_with_one_article, django_assert_max_num_queries
):
    response = _count(
        client, "/ru/empty-section/", django_assert_max_num_queries, BUDGETS["section"]
    )
    assert one_section_with_one_article.title in response.content.decode()


def test_section_query_budget_with_many_articles(
    client, many_articles, django_assert_max_num_queries
):
    _count(client, "/ru/news/", django_assert_max_num_queries, BUDGETS["section"])
    _count(client, "/ru/news/?page=2", django_assert_max_num_queries, BUDGETS["section"])


def test_article_query_budget_with_one_article(
    client, one_section_with_one_article, django_assert_max_num_queries
):
    _count(
        client, one_section_with_one_article.url, django_assert_max_num_queries, BUDGETS["article"]
    )


def test_article_query_budget_with_many_related(
    client, many_articles, django_assert_max_num_queries
):
    _count(client, many_articles[0].url, django_assert_max_num_queries, BUDGETS["article"])
