"""The Kazakh Latin view: /kk-latn/… serves every Kazakh page in the 2021 alphabet."""

import json
import re

import feedparser
import pytest
from lxml import etree

from iskra.core.models import LatinSpelling
from tests.factories import core, events, news

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def latin(url):
    return url.replace("/kk/", "/kk-latn/", 1)


@pytest.fixture
def kk_article(kk_home):
    section = news.section("kk", title="Жаңалықтар")
    body = [
        {"type": "paragraph", "value": "<p>Жиналысқа Шымкент жұмысшылары келді.</p>"},
        {
            "type": "quote",
            "value": {
                "text": "Пролетарии всех стран, соединяйтесь!",
                "attribution": "Маркс",
                "language": "ru",
            },
        },
        {"type": "paragraph", "value": "<p>Ещё бір жиын Іле өңірінде өтеді.</p>"},
    ]
    return news.article(
        section=section,
        title="Кеншілер жиыны өтті",
        lead="Қарағанды кеншілері жалақы туралы сөйлесті.",
        body=body,
        tags=["жиын"],
    )


def test_latin_article_reads_in_latin_letters(client, kk_article):
    response = client.get(latin(kk_article.url))
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="kk-Latn">' in html
    assert "<h1>Kenşıler jiyny öttı</h1>" in html or "Kenşıler jiyny öttı</h1>" in html
    assert "Jinalysqa Şymkent jūmysşylary keldı." in html
    assert "Кеншілер" not in html
    assert response["Content-Language"] == "kk-Latn"
    assert int(response["Content-Length"]) == len(response.content)


def test_latin_article_keeps_russian_in_cyrillic(client, kk_article):
    html = client.get(latin(kk_article.url)).content.decode()

    assert 'lang="ru"><p>Пролетарии всех стран, соединяйтесь!</p>' in html
    assert "Ещё bır jiyn Ile öñırınde ötedı." in html  # a Russian word in a Kazakh sentence


def test_latin_head_has_its_own_canonical_preview_and_alternates(client, kk_article):
    html = client.get(latin(kk_article.url)).content.decode()
    own = f"http://testserver{latin(kk_article.url)}"

    assert f'<link rel="canonical" href="{own}">' in html
    assert f'<meta property="og:url" content="{own}">' in html
    assert '<meta property="og:title" content="Kenşıler jiyny öttı">' in html
    assert '<meta name="description" content="Qarağandy kenşılerı jalaqy turaly söilestı.">' in html
    assert f'<link rel="alternate" hreflang="kk" href="http://testserver{kk_article.url}">' in html
    assert f'<link rel="alternate" hreflang="kk-Latn" href="{own}">' in html
    assert 'href="/feeds/kk-latn/rss.xml"' in html


def test_cyrillic_and_russian_pages_announce_the_latin_alternate(client, report, kk_report):
    for page in (report, kk_report):
        html = client.get(page.url).content.decode()
        assert (
            f'<link rel="alternate" hreflang="kk-Latn" href="http://testserver{latin(kk_report.url)}">'
            in html
        )


def test_language_switch_offers_three_views_of_the_same_page(client, report, kk_report):
    html = client.get(latin(kk_report.url)).content.decode()

    assert f'<a href="{report.url}" hreflang="ru" lang="ru">Русский</a>' in html
    assert f'<a href="{kk_report.url}" hreflang="kk" lang="kk-Cyrl">Қазақша</a>' in html
    assert '<span aria-current="true" lang="kk-Latn">Qazaqşa</span>' in html
    cyrillic = client.get(kk_report.url).content.decode()
    assert (
        f'<a href="{latin(kk_report.url)}" hreflang="kk-Latn" lang="kk-Latn">Qazaqşa</a>'
        in cyrillic
    )


def test_links_inside_the_latin_view_stay_in_it(client, kk_article):
    html = client.get("/kk-latn/").content.decode()

    assert f'href="{latin(kk_article.url)}"' in html
    assert 'action="/kk-latn/search/"' in html
    assert 'href="/kk/"' in html  # only the language switch leads back


def test_russian_pages_are_not_touched(client, report):
    html = client.get(report.url).content.decode()
    assert "В Караганде прошёл съезд горняков" in html
    assert 'lang="ru"' in html


def test_missing_latin_page_is_a_latin_404(client):
    response = client.get("/kk-latn/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="kk-Latn">' in response.content.decode()
    assert "Bet tabylmady" in response.content.decode()


def test_redirect_stays_in_the_latin_view(client, kk_article):
    response = client.get(latin(kk_article.url).rstrip("/"))

    assert response.status_code == 301
    assert response["Location"] == latin(kk_article.url)


def test_latin_feed_is_valid_and_latin(client, kk_article):
    response = client.get("/feeds/kk-latn/rss.xml")
    feed = feedparser.parse(response.content)

    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "kk-Latn"
    entry = next(e for e in feed.entries if e.title == "Kenşıler jiyny öttı")
    assert entry.link == f"http://testserver{latin(kk_article.url)}"
    section = kk_article.get_parent()
    section_feed = feedparser.parse(client.get(f"/feeds/kk-latn/{section.slug}/atom.xml").content)
    assert not section_feed.bozo
    assert [e.title for e in section_feed.entries] == ["Kenşıler jiyny öttı"]


def test_sitemap_lists_latin_pages_with_alternates(client, kk_article):
    document = etree.fromstring(client.get("/sitemap.xml").content)
    own = f"http://testserver{latin(kk_article.url)}"

    url = document.xpath(f"//s:url[s:loc='{own}']", namespaces=NS)[0]
    alternates = {
        link.get("hreflang"): link.get("href") for link in url.xpath("x:link", namespaces=NS)
    }
    assert alternates == {"kk": f"http://testserver{kk_article.url}", "kk-Latn": own}


def test_latin_search_shows_latin_snippets_for_queries_in_either_script(client, kk_article):
    for query in ("жиналыс", "jinalys"):
        html = client.get("/kk-latn/search/", {"q": query}).content.decode()
        assert "Kenşıler jiyny öttı" in html
        assert "<mark>" in html and "Кеншілер" not in html


def test_latin_page_is_cached_under_its_own_address(client, kk_article):
    first = client.get(latin(kk_article.url))
    second = client.get(latin(kk_article.url))
    cyrillic = client.get(kk_article.url)

    assert first["X-Iskra-Cache"] == "miss" and second["X-Iskra-Cache"] == "hit"
    assert second.content == first.content
    assert "Кеншілер жиыны өтті" in cyrillic.content.decode()


def test_editors_spelling_changes_the_latin_page_at_once(client, kk_article):
    client.get(latin(kk_article.url))
    LatinSpelling.objects.create(cyrillic="Шымкент", latin="Shymkent")

    html = client.get(latin(kk_article.url)).content.decode()

    assert "Shymkent jūmysşylary" in html


def test_latin_event_calendar(client):
    event = events.event(language="kk", title="Қарағанды пленумы", city="Қарағанды")

    response = client.get(latin(event.url) + "ics/")
    text = response.content.decode()

    assert response.status_code == 200
    assert "SUMMARY:Qarağandy plenumy" in text
    assert f"URL:http://testserver{latin(event.url)}" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_join_form_works_through_the_latin_view(client):
    html = client.get("/kk-latn/join/").content.decode()

    assert '<html lang="kk-Latn">' in html
    assert 'action="/kk-latn/join/"' in html or 'action=""' in html or "<form" in html
    response = client.post("/kk-latn/join/", {})
    assert response.status_code == 200
    assert "Бұл" not in response.content.decode().split("<main", 1)[1]


def test_site_settings_latin_telegram_button(kk_article):
    from iskra.telegram.formatting import post_content

    core.site_settings(has_telegram_latin_link=True)
    url = f"https://example.kz{kk_article.url}"

    content = post_content(kk_article, url=url)

    buttons = content.reply_markup["inline_keyboard"][0]
    assert buttons[1] == {"text": "Latyn ärıpterımen oqu", "url": latin(url)}


def test_spelling_reaches_the_remembered_chrome_too(client, kk_article):
    assert '">Basty bet</a>' in client.get("/kk-latn/").content.decode()
    LatinSpelling.objects.create(cyrillic="басты", latin="Bastı")

    html = client.get(latin(kk_article.url)).content.decode()

    assert '">Bastı bet</a>' in html  # the menu, one of the fragments kept in Latin


def test_latin_article_copy_attribution_and_structured_data_are_latin(client, kk_article):
    html = client.get(latin(kk_article.url)).content.decode()
    own = f"http://testserver{latin(kk_article.url)}"
    article = re.search(r"<article [^>]*>", html).group()
    data = [
        json.loads(found)
        for found in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]
    story = next(item for item in data if item["@type"] == "NewsArticle")

    assert f'data-copy-source="{own}"' in article  # what a copied quote names as its source
    assert 'data-copy-label-source="Derekköz"' in article
    assert '<meta property="article:tag" content="jiyn">' in html
    assert story["headline"] == "Kenşıler jiyny öttı"
    assert story["inLanguage"] == "kk-Latn"
    assert story["url"] == own
