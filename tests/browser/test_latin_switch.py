import pytest

from tests.browser.conftest import ORIGIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _prepare(tab, path):
    response = tab.client.get(path, HTTP_HOST="localhost")
    headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
    tab.pages[ORIGIN + path] = (response.status_code, headers, response.content)


def test_language_switch_moves_between_the_scripts_of_one_page(tab, report, kk_report):
    latin = kk_report.url.replace("/kk/", "/kk-latn/", 1)
    _prepare(tab, latin)
    errors = []
    page = tab.open(kk_report.url)
    # Pictures are not served to this tab (its 404s are expected); scripts must not fail.
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.click("nav.languages a[hreflang=kk-Latn]")
    page.wait_for_url(ORIGIN + latin)

    assert page.locator("h1").first.inner_text() == "Qarağandyda kenşıler sezı öttı"
    assert page.evaluate("document.documentElement.lang") == "kk-Latn"
    assert page.locator("nav.languages [aria-current=true]").inner_text() == "Qazaqşa"
    back = page.locator("nav.languages a[hreflang=kk]")
    assert back.inner_text() == "Қазақша" and back.get_attribute("href") == kk_report.url
    assert errors == [] and tab.foreign_requests == []
