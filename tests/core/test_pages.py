import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.news import make_article

pytestmark = pytest.mark.django_db


def test_root_redirects_by_accept_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="kk-KZ,kk;q=0.9").url == "/kk/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9").url == "/ru/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").url == "/ru/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/ru/",
            [
                "Социалистическая партия Казахстана",
                "Қазақстан Социалистік партиясы",
                "Присоединяйтесь к нам в Телеграм!",
                "Сочинения классиков",
                "Карл Маркс",
                "Новости",
                "Статьи",
                "Заявления",
            ],
        ),
        (
            "/kk/",
            [
                "Қазақстан Социалистік партиясы",
                "Жаңалықтар",
                "Мақалалар",
                "Классиктердің шығармалары",
                "Мао Цзэдун",
            ],
        ),
    ],
)
def test_home_page_shows_the_organization_in_both_names(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text


def test_home_page_lead_story_is_the_newest_illustrated_article(client, report):
    html = client.get("/ru/").content.decode()
    lead = html.split('class="lead-story"')[1].split("</article>")[0]
    assert report.title in lead


def test_footer_has_reprint_notice_and_copyright_years(client):
    html = client.get("/ru/").content.decode()
    assert "socialism.kz" in html
    assert f"© 2022–{timezone.localdate().year} socialism.kz" in html


def test_standard_page_renders_body(client):
    html = client.get("/ru/programme/").content.decode()
    assert "<h1>Программа</h1>" in html
    assert "Общественная собственность" in html


def test_join_page_exists_in_both_languages(client):
    assert "Вступить" in client.get("/ru/join/").content.decode()
    assert "Қосылу" in client.get("/kk/join/").content.decode()


def test_person_page_lists_their_articles(client, report):
    author = report.article_authors.get().person
    html = client.get(author.get_url()).content.decode()
    assert "<h1>Айгерим Сапарова</h1>" in html
    assert report.title in html


def test_people_index_lists_people(client):
    html = client.get("/kk/people/").content.decode()
    assert "Ольга Шин" in html


@pytest.mark.parametrize(
    "url",
    [
        "/ru/no-such-page/",
        "/kk/news/no-such-article/",
        "/ru/people/nobody/",
        "/xx/news/",
        "/ru/news/tag/no-such-tag/",
    ],
)
def test_unknown_urls_give_404_in_site_look(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 404
    assert "site-header" in response.content.decode()


def test_404_is_in_the_readers_language(client):
    assert "Бет табылмады" in client.get("/kk/nothing-here/").content.decode()
    assert "Страница не найдена" in client.get("/ru/nothing-here/").content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1e9", "%00", "1;DROP", "²", "٣"])
def test_non_numeric_page_parameter_redirects_to_first_page(client, page):
    response = client.get("/ru/news/", {"page": page})
    assert response.status_code == 301
    assert response.url == "/ru/news/"


@pytest.mark.parametrize("page", ["999", "99999999999999999999"])
def test_page_number_past_the_end_is_404(client, page):
    assert client.get("/ru/news/", {"page": page}).status_code == 404


def test_malformed_query_string_is_harmless(client):
    response = client.get("/ru/news/?page=2&page=%ff%fe&q=%E0%A4%A")
    assert response.status_code in (200, 301)


def test_section_lists_articles_newest_first_and_paginates(client, news_section):

    newest = make_article(
        news_section, title="Самая свежая новость", date=timezone.now() + dt.timedelta(days=1)
    )
    html = client.get("/ru/news/").content.decode()
    assert html.index(newest.title) < html.index("Опрос: как выросли цены")
    assert "Страница 1 из 2" in html
    second = client.get("/ru/news/?page=2").content.decode()
    assert "Страница 2 из 2" in second


@pytest.mark.parametrize(
    ("language", "text"), [("ru", "Что-то пошло не так"), ("kk", "Бірдеңе дұрыс болмады")]
)
def test_server_error_page_is_in_the_readers_language(rf, language, text):
    from django.utils import translation

    from iskra.core.views import server_error

    with translation.override(language):
        response = server_error(rf.get(f"/{language}/"))
    assert response.status_code == 500
    assert text in response.content.decode()
    assert f'href="/{language}/"' in response.content.decode()


def test_fast_page_urls_match_wagtails_own(rf, news_section):
    """``url_for`` and ``BasePage.get_url_parts`` give what Wagtail computes itself."""
    from wagtail.models import Page

    from iskra.core.models import url_for

    make_article(news_section, slug="митинг-в-алматы")  # a Cyrillic slug is percent-encoded

    request = rf.get("/", HTTP_HOST="localhost")
    pages = list(Page.objects.filter(depth__gt=1).specific())
    assert len(pages) > 40
    for page in pages:
        wagtail_parts = Page.get_url_parts(page)
        assert page.get_url_parts() == wagtail_parts, page.url_path
        assert url_for(page.url_path) == Page.get_url(page), page.url_path
        assert url_for(page.url_path, request) == Page.get_url(page, request), page.url_path


def test_sqlite_statistics_are_refreshed_for_the_query_planner():
    from django.db import connection

    from iskra.core.database import refresh_statistics

    refreshed = refresh_statistics()
    assert refreshed == (connection.vendor == "sqlite")
    if refreshed:
        with connection.cursor() as cursor:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'news_sectionpage'")
            assert cursor.fetchone() is not None


def test_json_ld_cannot_close_its_script_element():
    import json

    from iskra.core.templatetags.core_tags import json_ld

    data = {"headline": "</script><script>alert(1)</script> & «Искра»"}
    html = str(json_ld(data))
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == data


def test_main_menu_marks_the_current_section_only(client, news_section, report, ru_home):
    import re

    def current(url):
        html = client.get(url).content.decode()
        menu = html.split('class="main-nav"')[1].split("</nav>")[0]
        return re.findall(r'<a href="([^"]+)" aria-current="page"', menu)

    assert current(ru_home.url) == [ru_home.url]
    assert current(news_section.url) == [news_section.url]
    assert current(report.url) == []
