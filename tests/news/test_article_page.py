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
    section_path = conference.path[: -conference.steplen]
    assert all(a.path.startswith(section_path) for a in conference.get_related())
    assert len(conference.get_related()) == 5


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
