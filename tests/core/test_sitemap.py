from pathlib import Path

import pytest
from lxml import etree

from tests.factories.news import make_article

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_is_valid_against_the_sitemaps_org_schema(client):
    schema = etree.XMLSchema(etree.parse(str(FILES / "sitemap.xsd")))
    document = etree.fromstring(client.get("/sitemap.xml").content)
    assert schema.validate(document), schema.error_log


def test_sitemap_lists_both_languages_with_hreflang_alternates(client, report):
    document = etree.fromstring(client.get("/sitemap.xml").content)
    locations = document.xpath("//s:url/s:loc/text()", namespaces=NS)
    assert "http://testserver/ru/news/conference-in-defence-of-the-ussr/" in locations
    assert "http://testserver/kk/news/conference-in-defence-of-the-ussr/" in locations
    url = document.xpath(
        "//s:url[s:loc='http://testserver/ru/news/conference-in-defence-of-the-ussr/']",
        namespaces=NS,
    )[0]
    alternates = {
        link.get("hreflang"): link.get("href") for link in url.xpath("x:link", namespaces=NS)
    }
    assert alternates == {
        "ru": "http://testserver/ru/news/conference-in-defence-of-the-ussr/",
        "kk": "http://testserver/kk/news/conference-in-defence-of-the-ussr/",
        "kk-Latn": "http://testserver/kk-latn/news/conference-in-defence-of-the-ussr/",
    }


def test_sitemap_leaves_out_drafts(client, news_section):

    draft = make_article(news_section, publish=False)
    assert draft.slug not in client.get("/sitemap.xml").content.decode()


def test_robots_txt_points_to_sitemap_and_hides_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
