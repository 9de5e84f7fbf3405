import pytest

pytestmark = pytest.mark.django_db


def test_language_switch_leads_to_the_translation(client, conference):
    html = client.get(conference.url).content.decode()
    assert 'href="/kk/news/conference-in-defence-of-the-ussr/" hreflang="kk"' in html


def test_language_switch_falls_back_to_home_without_translation(client):
    html = client.get("/ru/news/why-cooperation/").content.decode()
    assert 'href="/kk/" hreflang="kk"' in html


def test_hreflang_alternates_in_head(client, conference):
    html = client.get(conference.url).content.decode()
    assert (
        '<link rel="alternate" hreflang="kk" '
        'href="http://testserver/kk/news/conference-in-defence-of-the-ussr/">' in html
    )
    assert (
        '<link rel="alternate" hreflang="ru" '
        'href="http://testserver/ru/news/conference-in-defence-of-the-ussr/">' in html
    )


@pytest.mark.parametrize(
    ("url", "ru_text", "kk_text"),
    [("/{}/", "Перейти к содержанию", "Мазмұнға өту")],
)
def test_interface_strings_are_translated(client, url, ru_text, kk_text):
    assert ru_text in client.get(url.format("ru")).content.decode()
    assert kk_text in client.get(url.format("kk")).content.decode()
