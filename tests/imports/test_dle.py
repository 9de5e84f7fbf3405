"""Importing a DataLife Engine site: `iskra import-dle`, its pages and its old addresses."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from iskra.imports.models import ImportedItem, MissingAddress, SiteImport
from iskra.news.models import ArticlePage, RelatedArticle, SectionPage
from tests.core.test_head import head
from tests.factories.old_sites import sample_dle_site

pytestmark = pytest.mark.django_db

MARKERS = re.compile(
    r"<!--|dle_|\{PAGEBREAK\}|\[attachment|\[hide|\[/hide|QuoteBegin|TBegin|spoiler_text"
)


def run(*args):
    """Run ``iskra import-dle`` with messages in English; return what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        call_command("import_dle", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture(scope="module")
def dle(module_db, tmp_path_factory):
    """The sample DLE site imported once for the module: (output, folder)."""
    folder = tmp_path_factory.mktemp("dle")
    dump, uploads = sample_dle_site(folder)
    path = dump.write(folder / "dump.sql")
    output = run(path, "--uploads", uploads)
    return output, folder


def article(dle_id):
    record = ImportedItem.objects.get(source="dle", container="post", item=str(dle_id))
    return Page.objects.get(pk=record.page_id).specific


def test_import_reports_what_it_did(dle):
    output, _folder = dle
    assert "Articles created: 5" in output
    assert "Pages created: 1" in output
    assert "Comments counted, not imported (Iskra has no comments): 3" in output
    assert "Drafts (not approved or not published on the old site): 1" in output
    assert "net-takogo.png" in output  # the missing picture is named
    assert "Пароль от архива" in output  # the hidden text is listed, for the editors


def test_article_keeps_its_content_without_markers(dle, client):
    page = article(1)
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    main = html.split("<main", 1)[1].split("</main>", 1)[0]  # the article, not the chrome
    assert not MARKERS.search(main), MARKERS.search(main).group(0)
    assert "Пароль от архива" not in html
    assert "<blockquote" in main and "Освобождение рабочих должно быть делом самих рабочих." in main
    assert "<details" in main and "Резолюция целиком" in main
    assert "Вторая страница доклада продолжает текст." in main  # one continuous article
    assert "youtube" in main.lower()
    assert 'href="https://example.org/materials"' in main  # the leech link decoded
    assert "Резолюция (PDF)" in main and "/documents/" in main
    assert page.cover_image is not None and page.cover_image.width == 64
    assert [a.person.name for a in page.article_authors.all()] == ["Айгерим Сапарова"]
    assert sorted(t.name for t in page.tags.all()) == ["Алматы", "конференция"]
    assert page.search_description == "Итоги конференции в Алматы"
    assert page.get_parent().specific.title == "Регионы"


def test_links_to_other_posts_point_at_their_new_pages(dle, client):
    first, second, fifth = article(1), article(2), article(5)
    assert f'linktype="page" id="{second.pk}"' in str(first.body.raw_data)
    assert f'linktype="page" id="{fifth.pk}"' in str(first.body.raw_data)
    assert f'linktype="page" id="{first.pk}"' in str(second.body.raw_data)
    assert first.url in client.get(second.url).content.decode()


def test_unapproved_post_is_a_draft(dle, client):
    draft = article(3)
    assert not draft.live and draft.has_unpublished_changes
    assert client.get("/novosti/3-chernovik.html").status_code == 404


def test_kazakh_post_goes_to_the_kazakh_tree(dle):
    assert article(4).locale.language_code == "kk"
    assert article(1).locale.language_code == "ru"


def test_same_alt_name_stays_two_pages(dle):
    assert article(1).pk != article(5).pk
    assert article(5).get_parent().title == "Статьи"


def test_missing_file_still_imports_the_article(dle):
    page = article(5)
    assert page.live and "Итоги месяца" in str(page.body.raw_data)
    assert "net-takogo" not in str(page.body.raw_data)


@pytest.mark.parametrize(
    ("old", "dle_id"),
    [
        ("/novosti/regiony/1-konferenciya-v-almaty.html", 1),
        ("/1-konferenciya-v-almaty.html", 1),
        ("/index.php?newsid=1", 1),
        ("/2024/03/15/konferenciya-v-almaty.html", 1),
        ("/novosti/regiony/page,2,1-konferenciya-v-almaty.html", 1),
        ("/novosti/print:page,1,1-konferenciya-v-almaty.html", 1),
        ("/some/moved/category/1-old-slug.html", 1),
        ("/stati/5-konferenciya-v-almaty.html", 5),
        ("/zhanalyqtar/4-almaty-konferenciya.html", 4),
    ],
)
def test_old_post_address_redirects_permanently(dle, client, old, dle_id):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article(dle_id).url


@pytest.mark.parametrize(
    ("old", "target"),
    [
        ("/novosti/", "section:1"),
        ("/novosti/page/3/", "section:1"),
        ("/novosti/regiony/", "section:2"),
        ("/about.html", "page"),
        ("/index.php?do=static&page=about", "page"),
        ("/old-about.html", "page"),
        ("/novosti/rss.xml", "/feeds/ru/novosti/rss.xml"),
        ("/rss.xml", "/feeds/ru/rss.xml"),
    ],
)
def test_old_site_address_redirects_permanently(dle, client, old, target):
    if target.startswith("section:"):
        record = ImportedItem.objects.get(source="dle", container="section-ru", item=target[8:])
        target = Page.objects.get(pk=record.page_id).url
    elif target == "page":
        record = ImportedItem.objects.get(source="dle", container="page", item="1")
        target = Page.objects.get(pk=record.page_id).url
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == target


def test_tag_page_redirects_to_the_section_tag_listing(dle, client):
    response = client.get("/tags/Алматы/")
    assert response.status_code == 301
    assert "/tag/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200


def test_imported_redirects_are_wagtail_redirects(dle):
    assert Redirect.objects.filter(
        old_path="/novosti/regiony/1-konferenciya-v-almaty.html"
    ).exists()


def test_unknown_old_address_is_counted(dle, client):
    for _ in range(2):
        assert client.get("/old/page/that-never-was.html").status_code == 404
    assert MissingAddress.objects.get(path="/old/page/that-never-was.html").hits == 2


def test_reimport_changes_nothing_twice(dle):
    output, folder = dle
    pages, images = Page.objects.count(), get_image_model().objects.count()
    again = run(folder / "dump.sql", "--uploads", folder / "uploads")
    assert "Articles created: 0" in again and "Unchanged since the last import: 6" in again
    assert (Page.objects.count(), get_image_model().objects.count()) == (pages, images)


def test_reimport_updates_a_changed_post_with_a_revision(dle):
    _output, folder = dle
    dump, uploads = sample_dle_site(folder / "changed", title_1="Конференция в Алматы: итоги")
    page = article(1)
    revisions = page.revisions.count()
    output = run(dump.write(folder / "changed.sql"), "--uploads", uploads)
    assert "Updated (changed since the last import): 1" in output
    page = article(1)
    assert page.title == "Конференция в Алматы: итоги" and page.revisions.count() == revisions + 1
    assert SiteImport.objects.filter(source="dle", status="done").count() >= 2


def test_sections_nest_as_categories_do(dle):
    section = SectionPage.objects.get(title="Регионы")
    assert ArticlePage.objects.child_of(section).count() == 1


def test_section_lists_its_imported_articles(dle, client):
    html = client.get(article(1).get_parent().url).content.decode()
    assert "Конференция в Алматы" in html


@pytest.mark.parametrize(
    ("dle_id", "description"),
    [
        (1, "Итоги конференции в Алматы"),  # the post's own meta description (descr)
        (2, "Второй день был посвящён профсоюзам."),  # else its text
    ],
)
def test_imported_article_head_previews_it(dle, client, dle_id, description):
    page = article(dle_id)
    found = head(client, page.url)
    assert found["description"] == found["og:description"]
    assert found["description"].startswith(description)
    assert found["og:title"] == page.title


def test_imported_static_page_head_previews_it(dle, client):
    record = ImportedItem.objects.get(source="dle", container="page", item="1")
    found = head(client, Page.objects.get(pk=record.page_id).url)
    assert found["og:title"] == "О партии"
    assert found["description"] == "Кто мы и чего добиваемся"


def test_old_address_redirect_is_cached_like_a_page(dle, client):
    first = client.get("/1-konferenciya-v-almaty.html")
    again = client.get("/1-konferenciya-v-almaty.html")
    assert (first.status_code, again.status_code) == (301, 301)
    assert again["Location"] == first["Location"] == article(1).url
    assert again["X-Iskra-Cache"] == "hit"


def test_imported_articles_get_related_lists(dle, client):
    related = list(
        RelatedArticle.objects.filter(article=article(1)).values_list("related_id", flat=True)
    )
    assert article(2).pk in related  # the same conference, the same tag, the next day
    assert article(3).pk not in related  # a draft
    html = client.get(article(1).url).content.decode()
    assert "Второй день конференции" in html.split("<main", 1)[1]


def test_extra_fields_give_a_cover_and_are_reported(dle):
    output, _folder = dle
    assert article(2).cover_image is not None  # the "poster" extra field
    assert "extra field istochnik not imported: Собственный корреспондент" in output
