"""In Chromium, every page type runs under the site's Content-Security-Policy without a
single violation (the video's player too, before and after the click), and Wagtail's
admin works under its own policy: the editor, the page chooser and an image upload."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from wagtail.images import get_image_model

from iskra.news.models import ArticleAuthor
from tests.factories import events, library, members, news

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Records what the page's policy refused, in the page itself and in console messages.
WATCH = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(event.effectiveDirective + " " + (event.blockedURI || "inline"));
});
"""


class Watched:
    def __init__(self, page):
        self.page = page
        self.console = []
        self.errors = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def refused(self):
        return [*self.page.evaluate("window.__refused || []"), *self.console]


@pytest.fixture
def watched_tab(tab):
    tab.watched = Watched(tab.page)
    return tab


def visit(tab, path):
    page = tab.open(path)
    page.wait_for_load_state("load")
    return page


def test_the_policy_is_enforced_in_chromium(watched_tab):
    """What the check relies on: an inline script and style are refused and reported."""
    tab = watched_tab
    tab.pages["http://localhost/inline/"] = (
        200,
        {
            "Content-Type": "text/html",
            "Content-Security-Policy": "script-src 'self'; style-src 'self'",
        },
        b"<!doctype html><p style='color:red'>x</p><script>document.title='ran'</script>",
    )
    tab.page.goto("http://localhost/inline/")
    assert tab.page.title() != "ran"
    refused = tab.watched.refused()
    assert any(line.startswith("script-src-elem inline") for line in refused), refused
    assert any(line.startswith("style-src-attr inline") for line in refused), refused


def test_every_page_type_runs_without_a_violation(watched_tab, report, ru_home):
    tab = watched_tab
    kk_report = news.report("kk", translation_of=report)
    section = report.get_parent().specific
    person = ArticleAuthor.objects.filter(article=report).first().person
    event = events.event(language="ru")
    work = library.work(library=library.library())
    chapter = work.chapters.order_by("position").first()
    join = members.join_page()
    page = news.article(section=section, title="Обычная заметка без видео")
    paths = [
        "/ru/",
        "/kk/",
        section.url,
        f"{section.url}tag/{quote('съезд')}/",
        report.url,
        kk_report.url,
        "/kk-latn" + kk_report.url.removeprefix("/kk"),
        page.url,
        person.get_url(),
        "/ru/people/",
        event.url,
        event.get_parent().url,
        work.get_parent().url,
        work.url,
        f"{work.url}{chapter.slug}/",
        join.url,
        f"/ru/search/?q={quote('горняки')}",
        "/ru/no-such-page/",
    ]
    seen = {}
    for path in paths:
        visit(tab, path)
        seen[path] = tab.watched.refused()
        tab.watched.console.clear()
    assert seen == {path: [] for path in paths}
    assert tab.watched.errors == []
    headers = tab.pages[f"http://localhost{page.url}"][1]
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_the_video_adds_exactly_its_player_to_the_policy(watched_tab, report):
    tab = watched_tab
    page = visit(tab, report.url)
    policy = tab.pages[f"http://localhost{report.url}"][1]["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com;" in policy
    assert tab.watched.refused() == []
    with page.expect_request(lambda request: "youtube-nocookie.com" in request.url):
        page.click(".video__facade")
    assert page.locator("iframe.video__frame").count() == 1
    assert tab.watched.refused() == []


def test_an_other_player_would_be_refused(watched_tab, report):
    """The allowance is the page's own video, not any player: a frame from another
    provider on the same page is refused."""
    tab = watched_tab
    page = visit(tab, report.url)
    page.evaluate(
        "() => { const f = document.createElement('iframe');"
        " f.src = 'https://rutube.ru/play/embed/1'; document.body.append(f); }"
    )
    page.wait_for_function("window.__refused.length > 0")
    assert tab.watched.refused()[0].startswith("frame-src https://rutube.ru")


@pytest.fixture
def editor_tab(browser, live_site):
    user = get_user_model().objects.create_superuser("csp-editor", "ed@example.kz", "x")
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_site, locale="ru-RU")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site}]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    watched = Watched(page)
    yield page, watched
    context.close()


def test_the_admin_works_under_its_policy(editor_tab, report, tmp_path):
    page, watched = editor_tab
    # The page editor: the form, its panels and the rich text editor start.
    response = page.goto(f"/admin/pages/{report.pk}/edit/")
    assert "unsafe-inline" in response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("[data-draftail-input], .Draftail-Editor", state="attached")
    page.locator("input[name='title']").fill("В Караганде прошёл съезд горняков и шахтёров")
    page.get_by_role("button", name="Сохранить черновик").click()
    page.wait_for_load_state("load")
    assert (
        page.locator(".messages").get_by_text("обновлена").count()
        or page.locator(".messages .success").count()
    )
    report.refresh_from_db()
    assert report.get_latest_revision().as_object().title.endswith("и шахтёров")

    # The page chooser: the copy form's "new parent" opens the chooser's modal.
    page.goto(f"/admin/pages/{report.pk}/copy/")
    page.locator(".chooser [aria-label='Действия']").first.click()
    page.locator("[data-chooser-action-choose]:visible").first.click()
    modal = page.locator(".modal-content")
    modal.get_by_role("link", name="Хроника").first.wait_for()
    assert modal.locator("table").count() >= 1

    # An image upload: the multiple-upload page sends the file with its own script.
    picture = tmp_path / "forest.png"
    Image.new("RGB", (320, 200), (30, 120, 60)).save(picture, "PNG")
    page.goto("/admin/images/multiple/add/")
    page.set_input_files("input[type=file]", str(picture))
    page.locator("#upload-list .upload-success").wait_for()
    assert get_image_model().objects.filter(title="forest").exists()
    assert watched.refused() == []
    assert watched.errors == []
