import pytest

pytestmark = pytest.mark.django_db


def test_language_switch_leads_to_the_translation(client, report, kk_report):
    html = client.get(report.url).content.decode()
    assert f'href="{kk_report.url}" hreflang="kk"' in html


def test_language_switch_falls_back_to_home_without_translation(client):
    html = client.get("/ru/news/why-cooperation/").content.decode()
    assert 'href="/kk/" hreflang="kk"' in html


def test_hreflang_alternates_in_head(client, report, kk_report):
    html = client.get(report.url).content.decode()
    assert f'<link rel="alternate" hreflang="kk" href="http://testserver{kk_report.url}">' in html
    assert f'<link rel="alternate" hreflang="ru" href="http://testserver{report.url}">' in html


@pytest.mark.parametrize(
    ("url", "ru_text", "kk_text"),
    [("/{}/", "Перейти к содержанию", "Мазмұнға өту")],
)
def test_interface_strings_are_translated(client, url, ru_text, kk_text):
    assert ru_text in client.get(url.format("ru")).content.decode()
    assert kk_text in client.get(url.format("kk")).content.decode()
