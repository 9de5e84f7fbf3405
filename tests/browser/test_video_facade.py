import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_video_loads_only_after_the_click(tab, report):
    page = tab.open(report.url)
    page.wait_for_load_state("networkidle")
    assert tab.foreign_requests == []
    assert page.locator("iframe").count() == 0
    with page.expect_request(lambda request: "youtube-nocookie.com" in request.url):
        page.click(".video__facade")
    frame = page.locator("iframe.video__frame")
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert any("youtube-nocookie.com" in url for url in tab.foreign_requests)


def test_page_is_keyboard_navigable_to_main_content(tab, report):
    page = tab.open(report.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
