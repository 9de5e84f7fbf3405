"""The admin's page search uses the same analysis as the public search page."""

import pytest

pytestmark = pytest.mark.django_db


def admin_search(editor_client, query):
    response = editor_client.get("/admin/pages/search/results/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_admin_page_search_finds_other_forms(editor_client, corpus):
    html = admin_search(editor_client, "симпозиумах")

    assert "В Экибастузе прошёл симпозиум горняков" in html


def test_admin_page_search_reads_kazakh_in_latin_letters(editor_client, corpus):
    html = admin_search(editor_client, "Shymkentte jinalys")

    assert "Шымкентте жиналыс өтті" in html


def test_wagtail_search_api_finds_stems(corpus):
    from iskra.news.models import ArticlePage

    found = [page.title for page in ArticlePage.objects.live().search("симпозиумах")]

    assert "В Экибастузе прошёл симпозиум горняков" in found
