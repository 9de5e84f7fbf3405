"""Importing a WordPress site: `iskra import-wordpress`, its pages and its old addresses."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

from iskra.core.models import StandardPage
from iskra.imports.models import ImportedItem
from iskra.imports.wordpress_markup import wpautop
from tests.factories.old_sites import sample_wordpress_site
from tests.shared_data import shared_data

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        call_command("import_wordpress", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def wordpress(module_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wp")
    export, uploads = sample_wordpress_site(folder)
    return run(export, "--uploads", uploads), folder


def page_of(kind, key):
    record = ImportedItem.objects.get(source="wordpress", container=kind, item=str(key))
    return Page.objects.get(pk=record.page_id).specific


def test_import_reports_what_it_did(wordpress):
    output, _folder = wordpress
    assert "Articles created: 6" in output  # 21, 22, 23, 24, 25, 27; trash and menus not
    assert "Pages created: 2" in output
    assert "Drafts (not approved or not published on the old site): 3" in output
    assert "Comments counted, not imported (Iskra has no comments): 2" in output
    assert "shortcode [contact-form-7] is not supported" in output
    assert "block acme/poll: kept as its HTML" in output


def test_gutenberg_post_becomes_blocks(wordpress, client):
    page = page_of("post", 21)
    kinds = [block.block_type for block in page.body]
    assert kinds[:2] == ["paragraph", "heading"]
    assert {"image", "quote", "video", "document"} <= set(kinds)
    html = client.get(page.url).content.decode()
    main = html.split("<main", 1)[1]
    assert "<!-- wp:" not in main and "wp:paragraph" not in main
    assert (
        "Зал собрания" in main and "Единство — наша сила." in main and "Резолюция собрания" in main
    )
    assert "сократить смену" in main
    image = next(b.value["image"] for b in page.body if b.block_type == "image")
    assert image.width == 120  # sobranie-1024x768.png resolved to the original
    assert page.cover_image.file.name.endswith(".png") and page.cover_image.width == 64
    assert [a.person.name for a in page.article_authors.all()] == ["Ерлан Жумабаев"]
    assert page.lead == "Профсоюзы Караганды провели общее собрание."


def test_classic_post_is_paragraphed_and_its_shortcodes_converted(wordpress, client):
    page = page_of("post", 22)
    kinds = [block.block_type for block in page.body]
    assert kinds[0] == "paragraph"
    first = page.body[0].value.source
    assert "Первый абзац о забастовке шахтёров.<br/>Строка того же абзаца." in first
    assert "video" in kinds and kinds.count("image") >= 2
    caption = next(b.value["caption"] for b in page.body if b.block_type == "image")
    assert caption == "Шахтёры у проходной"
    html = client.get(page.url).content.decode()
    assert "[caption" not in html and "[gallery" not in html and "[contact-form-7" not in html
    assert "miting.mp4" in html  # the local video is a download
    assert f'linktype="page" id="{page_of("post", 21).pk}"' in str(page.body.raw_data)


def test_only_published_posts_are_public(wordpress):
    assert page_of("post", 21).live
    for key in (23, 24, 25):
        assert not page_of("post", key).live
    assert not ImportedItem.objects.filter(source="wordpress", item="26").exists()
    assert not ImportedItem.objects.filter(source="wordpress", item="41").exists()


def test_pages_keep_their_hierarchy(wordpress):
    child, parent = page_of("page", 32), page_of("page", 31)
    assert isinstance(child, StandardPage) and child.get_parent().pk == parent.pk


def test_kazakh_post_goes_to_the_kazakh_tree(wordpress):
    assert page_of("post", 27).locale.language_code == "kk"


@pytest.mark.parametrize(
    ("old", "target"),
    [
        ("/2024/05/01/sobranie/", ("post", 21)),
        ("/2024/05/01/sobranie", ("post", 21)),
        ("/2024/05/03/%d0%b7%d0%b0%d0%b1%d0%b0%d1%81%d1%82%d0%be%d0%b2%d0%ba%d0%b0/", ("post", 22)),
        ("/2024/05/03/забастовка/", ("post", 22)),
        ("/?p=21", ("post", 21)),
        ("/?p=31", ("page", 31)),
        ("/?page_id=32", ("page", 32)),
        ("/o-nas/programma/", ("page", 32)),
        ("/category/novosti/profsoyuzy/", "section"),
        ("/category/profsoyuzy/", "section"),
        ("/category/profsoyuzy/page/2/", "section"),
        ("/feed/", "/feeds/ru/rss.xml"),
        ("/author/admin/", "person"),
    ],
)
def test_old_address_redirects_permanently(wordpress, client, old, target):
    if target == "section":
        record = ImportedItem.objects.get(
            source="wordpress", container="section-ru", item="profsoyuzy"
        )
        target = Page.objects.get(pk=record.page_id).url
    elif target == "person":
        target = page_of("post", 21).article_authors.first().person.get_url()
    elif isinstance(target, tuple):
        target = page_of(*target).url
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == target


def test_tag_address_lands_on_a_tag_listing(wordpress, client):
    response = client.get("/tag/karaganda/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "#Караганда" in html
    assert "Собрание профсоюзов в Караганде" in html or "Забастовка шахтёров" in html


def test_reimport_creates_nothing_twice(wordpress):
    _output, folder = wordpress
    pages = Page.objects.count()
    again = run(folder / "export.xml", "--uploads", folder / "uploads")
    assert "Articles created: 0" in again
    assert Page.objects.count() == pages


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>',
            "not a WordPress export",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&b;</title></channel></rss>',
            "declares XML entities",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&x;</title></channel></rss>',
            "declares XML entities",
        ),
        (
            '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n<item><title>a</title>\n',
            "not well-formed XML at line",
        ),
        ("", "empty"),
    ],
)
def test_bad_export_gets_a_clear_message_and_changes_nothing(tmp_path, content, message):
    path = tmp_path / "export.xml"
    path.write_text(content)
    pages = Page.objects.count()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert Page.objects.count() == pages


@pytest.mark.parametrize("name", ["themeunittestdata.wordpress.xml", "wxr-utf-8-challenges.xml"])
def test_shared_exports_import_cleanly(tmp_path, name):
    path = shared_data() / "wxr" / name
    if not path.exists():
        pytest.skip(f"{path} is absent (set ISKRA_SHARED_DATA to the shared data folder)")
    output = run(path, "--uploads", tmp_path)
    created = int(re.search(r"Articles created: (\d+)", output).group(1))
    assert created >= 1
    for record in ImportedItem.objects.filter(source="wordpress", container="post")[:50]:
        page = Page.objects.get(pk=record.page_id).specific
        assert "<!-- wp:" not in str(page.body.raw_data)
        assert not re.search(r"\[/?(?:caption|gallery|embed|video)\b", str(page.body.raw_data))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One\ntwo\n\nThree", "<p>One<br />\ntwo</p>\n<p>Three</p>\n"),
        ("<div>Box</div>\nAfter", "<div>Box</div>\n<p>After</p>\n"),
        ("Text<pre>a\n\nb</pre>", "<p>Text</p>\n<pre>a\n\nb</pre>\n"),
        ("<blockquote>Quote</blockquote>", "<blockquote><p>Quote</p></blockquote>\n"),
    ],
)
def test_wpautop_paragraphs_as_wordpress_does(text, expected):
    assert wpautop(text) == expected
