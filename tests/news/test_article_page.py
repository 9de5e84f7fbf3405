import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _json_ld(html, kind):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_article_page_has_the_reference_page_parts(client, conference):
    html = client.get(conference.url).content.decode()
    for part in (
        'class="breadcrumbs"',
        "Присоединяйтесь к нам в Телеграм!",
        "Похожие новости",
        'id="join-title"',
        "Уведомление",
        "Сочинения классиков",
        "© 2022",
    ):
        assert part in html, part


def test_breadcrumbs_lead_from_site_through_section(client, conference):
    html = client.get(conference.url).content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == ["СПК", "Новости", conference.title]
    data = _json_ld(html, "BreadcrumbList")
    assert [item["name"] for item in data["itemListElement"]] == [
        "СПК",
        "Новости",
        conference.title,
    ]
    assert data["itemListElement"][2]["item"] == (
        "http://testserver/ru/news/conference-in-defence-of-the-ussr/"
    )


def test_news_article_json_ld(client, conference):
    data = _json_ld(client.get(conference.url).content.decode(), "NewsArticle")
    assert data["headline"] == conference.title
    assert data["author"][0]["name"] == "Денис Алимбеков"
    assert data["datePublished"].startswith("2022-12-31")
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["publisher"]["name"] == "Социалистическая партия Казахстана"


def test_social_preview_tags(client, conference):
    html = client.get(conference.url).content.decode()
    assert f'<meta property="og:title" content="{conference.title}">' in html.replace(
        "&quot;", '"'
    ).replace("&laquo;", "«")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://testserver/media/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<link rel="canonical" href="http://testserver/ru/news/conference-in-defence' in html


def test_related_prefers_shared_tags_then_newest(client, news_section):
    base = make_article(news_section, title="Статья о субботнике", tags=["субботник", "парк"])
    later = timezone.now() + dt.timedelta(days=3)
    unrelated_new = make_article(news_section, title="Свежая без тегов", date=later)
    one_tag = make_article(
        news_section,
        title="Один общий тег",
        tags=["парк"],
        date=timezone.now() - dt.timedelta(days=900),
    )
    two_tags = make_article(
        news_section,
        title="Два общих тега",
        tags=["парк", "субботник"],
        date=timezone.now() - dt.timedelta(days=1000),
    )
    related = base.get_related()
    assert [a.pk for a in related[:3]] == [two_tags.pk, one_tag.pk, unrelated_new.pk]
    html = client.get(base.url).content.decode()
    block = html.split('id="related-title"')[1]
    assert block.index("Два общих тега") < block.index("Один общий тег")
    assert base.title not in block


def test_related_stay_in_the_same_section(conference):
    section_url = conference.get_parent().url
    related = conference.get_related()
    assert len(related) == 5
    assert all(card.url.startswith(section_url) for card in related)


def _related_titles(client, article):
    html = client.get(article.url).content.decode()
    return re.findall(
        r'card__title"><a href="[^"]+">([^<]+)</a>', html.split('id="related-title"')[1]
    )


def test_a_new_article_enters_the_related_lists_of_its_closest_articles(client, news_section):
    old = make_article(
        news_section,
        title="Старая статья о заводе",
        tags=["завод", "забастовка"],
        date=timezone.now() - dt.timedelta(days=2000),
    )
    for number in range(6):
        make_article(news_section, title=f"Свежая заметка {number}")
    assert "Новая статья о заводе" not in _related_titles(client, old)
    make_article(
        news_section,
        title="Новая статья о заводе",
        tags=["завод", "забастовка"],
        date=timezone.now() - dt.timedelta(days=1000),
    )
    # Older than the fillers, yet first: it shares two tags.
    assert _related_titles(client, old)[0] == "Новая статья о заводе"


def test_unpublished_related_articles_leave_the_block_and_it_stays_full(client, news_section):
    base = make_article(news_section, title="Статья о митинге", tags=["митинг"])
    gone = make_article(news_section, title="Снятая с публикации", tags=["митинг"])
    assert "Снятая с публикации" in _related_titles(client, base)
    gone.unpublish()
    titles = _related_titles(client, base)
    assert "Снятая с публикации" not in titles
    assert len(titles) == 5


def test_moving_an_article_re_ranks_it_in_its_new_section(client, news_section, ru_home):
    from iskra.news.models import SectionPage

    statements = SectionPage.objects.child_of(ru_home).exclude(pk=news_section.pk).first()
    stay = make_article(news_section, title="Остаётся в новостях", tags=["профсоюз"])
    moving = make_article(news_section, title="Переезжает в другой раздел", tags=["профсоюз"])
    assert "Переезжает в другой раздел" in _related_titles(client, stay)
    moving.move(statements, pos="last-child")
    moving.refresh_from_db()
    assert "Переезжает в другой раздел" not in _related_titles(client, stay)
    statements_url = statements.url
    html = client.get(moving.url).content.decode().split('id="related-title"')[1]
    links = re.findall(r'card__title"><a href="([^"]+)"', html)
    assert links and all(link.startswith(statements_url) for link in links)


def test_refresh_related_command_ranks_articles_added_outside_publishing(news_section):
    from io import StringIO

    from django.core.management import call_command

    from iskra.news.models import ArticlePage, RelatedArticle

    first = make_article(news_section, title="Первая о выборах", tags=["выборы"])
    second = make_article(news_section, title="Вторая о выборах", tags=["выборы"])
    RelatedArticle.objects.all().delete()
    # Unranked articles are ranked on the fly, the same way.
    assert first.get_related()[0].pk == second.pk
    out = StringIO()
    call_command("refresh_related", stdout=out)
    live = ArticlePage.objects.live().count()
    assert f"Stored related articles for {live} articles." in out.getvalue()
    assert RelatedArticle.objects.filter(article=first).order_by("rank")[0].related_id == second.pk


def test_tag_listing_shows_tagged_articles(client, news_section):
    tagged = make_article(news_section, title="Статья с особым тегом", tags=["особый"])
    html = client.get("/ru/news/tag/особый/").content.decode()
    assert tagged.title in html
    assert "Опрос: как выросли цены" not in html


def test_draft_is_not_served(client, news_section):
    draft = make_article(news_section, publish=False)
    assert client.get(f"/ru/news/{draft.slug}/").status_code == 404


def test_moved_article_is_listed_in_its_new_section(client, news_section, ru_home):
    from iskra.news.models import SectionPage

    statements = SectionPage.objects.child_of(ru_home).get(slug="statements")
    article = make_article(news_section, title="Перенесённая заметка")
    article.move(statements, pos="last-child")
    article.refresh_from_db()
    assert article.section_id == statements.pk
    assert article.title in client.get("/ru/statements/").content.decode()
    assert article.title not in client.get("/ru/news/").content.decode()


def test_private_articles_stay_out_of_listings_and_related_blocks(client, news_section, ru_home):
    from wagtail.models import PageViewRestriction

    public = make_article(news_section, title="Открытая статья о съезде", tags=["съезд"])
    secret = make_article(news_section, title="Закрытая статья о съезде", tags=["съезд"])
    assert "Закрытая статья о съезде" in _related_titles(client, public)
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="секрет"
    )
    for url in (
        news_section.url,
        f"{news_section.url}tag/{secret.tags.first().slug}/",
        ru_home.url,
    ):
        html = client.get(url).content.decode()
        assert "Открытая статья о съезде" in html, url
        assert "Закрытая статья о съезде" not in html, url
    assert "Закрытая статья о съезде" not in _related_titles(client, public)
    # The restricted page itself asks for the password.
    assert "password" in client.get(secret.url).content.decode().lower()


def test_preview_shows_the_unsaved_authors_and_tags(conference, ru_home):
    from iskra.core.models import Person
    from iskra.news.models import ArticleAuthor

    person = Person.objects.filter(locale=ru_home.locale).exclude(name="").first()
    conference.tags.set(["тег-из-черновика"])
    conference.article_authors = [ArticleAuthor(person=person, sort_order=0)]
    html = conference.make_preview_request().content.decode()
    assert "#тег-из-черновика" in html
    assert f'rel="author">{person.name}</a>' in html.replace("&quot;", '"')
    # Nothing was saved: the published page still shows its own tags.
    assert "тег-из-черновика" not in [tag.name for tag in conference.get_tags()]
