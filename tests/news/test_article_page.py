import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from tests.factories import core
from tests.factories import news as news_factory
from tests.factories.news import make_article

pytestmark = pytest.mark.django_db


def _json_ld(html, kind):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_article_page_has_the_reference_page_parts(client, report):
    html = client.get(report.url).content.decode()
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


def test_breadcrumbs_lead_from_site_through_section(client, report):
    core.site_settings(short_name_ru="Союз")
    html = client.get(report.url).content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == ["Союз", "Хроника", report.title]
    data = _json_ld(html, "BreadcrumbList")
    assert [item["name"] for item in data["itemListElement"]] == [
        "Союз",
        "Хроника",
        report.title,
    ]
    assert data["itemListElement"][2]["item"] == f"http://testserver{report.url}"


def test_news_article_json_ld(client, report):
    core.site_settings(name_ru="Союз рабочих Казахстана")
    data = _json_ld(client.get(report.url).content.decode(), "NewsArticle")
    assert data["headline"] == report.title
    assert data["author"][0]["name"] == "Айгерим Сапарова"
    assert dt.datetime.fromisoformat(data["datePublished"]) == report.date
    assert data["image"][0].startswith("http://testserver/media/")
    assert data["publisher"]["name"] == "Союз рабочих Казахстана"


def test_social_preview_tags(client, report):
    html = client.get(report.url).content.decode()
    assert f'<meta property="og:title" content="{report.title}">' in html.replace(
        "&quot;", '"'
    ).replace("&laquo;", "«")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://testserver/media/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="canonical" href="http://testserver{report.url}">' in html


def _paragraphs(*texts):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def test_related_prefer_shared_content_then_tags_over_newness(client, news_section):
    base = make_article(
        news_section,
        title="Забастовка шахтёров в Шахтинске",
        lead="Горняки требуют повысить зарплату.",
        body=_paragraphs("Шахтёры шахты «Казахстанская» остановили добычу угля."),
        tags=["шахтёры"],
    )
    later = timezone.now() + dt.timedelta(days=3)
    unrelated_new = make_article(
        news_section,
        title="Открылась выставка акварели",
        date=later,
        lead="Художники показали пейзажи.",
        body=_paragraphs("Акварели и пейзажи степи."),
    )
    similar_old = make_article(
        news_section,
        title="Шахтёры Шахтинска продолжают забастовку",
        lead="Добыча угля стоит второй день.",
        body=_paragraphs("Горняки шахты требуют зарплату."),
        date=timezone.now() - dt.timedelta(days=900),
    )
    similar_tagged = make_article(
        news_section,
        title="Горняки Шахтинска и забастовка",
        lead="Шахтёры и угольная шахта.",
        body=_paragraphs("Добыча угля, зарплата горняков."),
        tags=["шахтёры"],
        date=timezone.now() - dt.timedelta(days=1000),
    )
    related = [a.pk for a in base.get_related()]
    assert set(related[:2]) == {similar_old.pk, similar_tagged.pk}
    assert unrelated_new.pk not in related[:2]
    html = client.get(base.url).content.decode()
    block = html.split('id="related-title"')[1]
    assert "Шахтёры Шахтинска продолжают забастовку" in block
    assert base.title not in block


def test_related_are_in_the_articles_language(report, kk_report):
    for number in range(3):  # Kazakh neighbours about the same congress
        news_factory.article(
            section=kk_report.get_parent().specific,
            title=f"Кеншілер съезі {number}",
            tags=["съезд"],
        )

    related = report.get_related()

    assert len(related) == 5
    assert all(card.url.startswith("/ru/") for card in related)


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


def test_moving_an_article_keeps_it_related_by_content(client, news_section, ru_home):
    from iskra.news.models import SectionPage

    statements = SectionPage.objects.child_of(ru_home).exclude(pk=news_section.pk).first()
    stay = make_article(
        news_section,
        title="Профсоюз медсестёр",
        tags=["профсоюз"],
        body=_paragraphs("Медсёстры создали независимый профсоюз."),
    )
    moving = make_article(
        news_section,
        title="Независимый профсоюз медсестёр",
        tags=["профсоюз"],
        body=_paragraphs("Профсоюз медсестёр провёл собрание."),
    )
    assert "Независимый профсоюз медсестёр" in _related_titles(client, stay)
    moving.move(statements, pos="last-child")
    moving.refresh_from_db()
    # Still about the same thing: still related, now at its new address.
    assert moving.section_id == statements.pk
    html = client.get(stay.url).content.decode().split('id="related-title"')[1]
    assert f'href="{moving.url}"' in html


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


def test_preview_shows_the_unsaved_authors_and_tags(report, ru_home):
    from iskra.core.models import Person
    from iskra.news.models import ArticleAuthor

    person = Person.objects.filter(locale=ru_home.locale).exclude(name="").first()
    report.tags.set(["тег-из-черновика"])
    report.article_authors = [ArticleAuthor(person=person, sort_order=0)]
    html = report.make_preview_request().content.decode()
    assert "#тег-из-черновика" in html
    assert f'rel="author">{person.name}</a>' in html.replace("&quot;", '"')
    # Nothing was saved: the published page still shows its own tags.
    assert "тег-из-черновика" not in [tag.name for tag in report.get_tags()]
