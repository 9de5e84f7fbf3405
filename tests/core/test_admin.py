"""The editors' interface opens on every Iskra model: panels, snippets and settings."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_article_edit_and_add_forms_open(editor_client, report, news_section):
    edit = editor_client.get(f"/admin/pages/{report.pk}/edit/")
    assert edit.status_code == 200
    assert "Айгерим Сапарова" in edit.content.decode()
    add = editor_client.get(f"/admin/pages/add/news/articlepage/{news_section.pk}/")
    assert add.status_code == 200


def test_section_home_and_standard_page_forms_open(editor_client, ru_home, news_section):
    from iskra.core.models import StandardPage

    about = StandardPage.objects.get(slug="about", locale=ru_home.locale)
    for page in (ru_home, news_section, about):
        assert editor_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_people_are_editable_snippets(editor_client):
    listing = editor_client.get("/admin/snippets/core/person/")
    assert listing.status_code == 200
    assert "Ольга Шин" in listing.content.decode()


def test_site_settings_open_in_the_admin(editor_client):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    response = editor_client.get(f"/admin/settings/core/sitesettings/{site.pk}/")
    assert response.status_code == 200
    assert "Социалистическая партия Казахстана" in response.content.decode()


def test_editor_can_publish_through_the_admin(editor_client, news_section, client):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    data = nested_form_data(
        {
            "title": "Новость из админки",
            "slug": "admin-news",
            "date": "2026-11-20 10:00",
            "lead": "Опубликовано редактором.",
            "body": streamfield([("paragraph", rich_text("<p>Текст из админки.</p>"))]),
            "article_authors": inline_formset([]),
            "tags": "админка",
            "action-publish": "publish",
        }
    )
    response = editor_client.post(f"/admin/pages/add/news/articlepage/{news_section.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    client.logout()
    assert "Новость из админки" in client.get("/ru/news/").content.decode()
    assert "Текст из админки." in client.get("/ru/news/admin-news/").content.decode()
