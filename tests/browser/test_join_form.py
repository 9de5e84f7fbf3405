import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_join_form_hides_the_bot_trap_and_loads_nothing_foreign(tab, ru_home):
    page = tab.open("/ru/join/")
    page.wait_for_load_state("networkidle")

    assert page.locator("#id_name").is_visible()
    assert page.locator("#id_has_consented").is_visible()
    assert not page.locator("#id_has_consented").is_checked()
    # The bot trap is off-screen and out of the tab order.
    assert page.evaluate("document.getElementById('id_website').getBoundingClientRect().right <= 0")
    assert page.locator("#id_website").get_attribute("tabindex") == "-1"
    assert page.locator("label[for=id_has_consented] a").get_attribute("href") == "/ru/privacy/"
    assert tab.foreign_requests == []
