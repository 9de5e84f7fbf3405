"""The copy's search in real Chromium: the static index finds other word forms and
Kazakh typed in Latin letters, with no server behind the copy."""

import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from django.core.management import call_command

from tests.factories import news

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served_copy(tmp_path):
    section = news.section("ru", title="Профсоюзы")
    news.article(
        section=section,
        title="Учителя Шымкента объявили забастовку",
        lead="Педагоги требуют выплатить долги по зарплате за три месяца.",
    )
    news.article(
        section=news.section("kk", title="Кәсіподақтар"),
        title="Мұғалімдер ереуілге шықты",
        lead="Шымкент мұғалімдері жалақы қарызын өтеуді талап етеді.",
    )
    call_command("export_mirror", str(tmp_path / "copy"), stdout=io.StringIO())
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/copy/"
    server.shutdown()


def _search(browser, url):
    page = browser.new_page()
    errors, sizes = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on(
        "requestfinished",
        lambda request: (
            "/search-index/" in request.url and sizes.append(request.sizes()["responseBodySize"])
        ),
    )
    page.goto(url)
    page.wait_for_selector("#static-search:not([aria-busy])")
    return page, errors, sizes


@pytest.mark.parametrize(
    ("path", "query", "title", "marked"),
    [
        # A form the texts use (the index's word list gives its lemma's term).
        ("ru/search/", "забастовку учителей", "Учителя Шымкента объявили забастовку", []),
        # A form they never use: the longest indexed term it begins with.
        ("ru/search/", "долгами Шымкентом", "Учителя Шымкента объявили забастовку", ["долги"]),
        # Kazakh in the 2021 Latin alphabet, read as the site's search reads it.
        ("kk/search/", "Mūğalımder", "Мұғалімдер ереуілге шықты", ["мұғалімдері"]),
    ],
)
def test_the_copys_search_finds_forms_and_latin_kazakh(
    browser, served_copy, path, query, title, marked
):
    page, errors, sizes = _search(browser, f"{served_copy}{path}?q={quote(query)}")

    titles = page.locator(".search-results h2 a").all_inner_texts()
    assert title in titles
    link = page.locator(".search-results h2 a", has_text=title).first
    snippet = page.locator(".search-result", has_text=title).locator("mark")
    assert snippet.all_inner_texts() == marked  # the title's words are not in the snippet
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == title
    assert errors == []
    assert 0 < sum(sizes) < 300_000  # what the query downloaded of the index
    page.close()


def test_the_copys_search_says_when_nothing_is_found(browser, served_copy):
    page, errors, _sizes = _search(browser, f"{served_copy}ru/search/?q=qwxyzzy")
    assert "ничего не найдено" in page.locator("#static-search").inner_text()
    assert page.locator("#search-page-q").input_value() == "qwxyzzy"
    assert errors == []
    page.close()


def test_the_copys_pages_log_no_errors(browser, served_copy):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(served_copy)  # the front page leads to a language
    page.wait_for_url(f"{served_copy}ru/")
    for path in (
        "ru/news/conference-in-defence-of-the-ussr/",
        "ru/join/",
        "kk-latn/",
        "ru/events/",
    ):
        page.goto(served_copy + path)
        assert page.locator("h1").count() >= 1
    assert page.evaluate("document.documentElement.lang") == "ru"
    video = served_copy + "ru/news/conference-in-defence-of-the-ussr/"
    page.goto(video)
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.abort())
    page.click(".video__facade")
    assert page.locator("figure.video iframe").count() == 1
    assert errors == []
    page.close()
