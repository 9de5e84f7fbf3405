"""DLE dumps as they come: both writers, both encodings, dry runs, and bad input that must
change nothing."""

import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from iskra.imports.models import ImportedItem, SiteImport
from iskra.news.models import ArticlePage
from tests.factories.old_sites import sample_dle_site

pytestmark = pytest.mark.django_db


def run(*args, command="import_dle"):
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        call_command(command, *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def state():
    """What an import could have changed: pages, images, redirects, records, files."""
    images = get_image_model().objects.all()
    return (
        Page.objects.count(),
        images.count(),
        Redirect.objects.count(),
        ImportedItem.objects.count(),
    )


def media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("charset", "style"),
    [
        ("utf8mb4", "mysqldump"),
        ("cp1251", "mysqldump"),
        ("utf8", "phpmyadmin"),
        ("cp1251", "phpmyadmin"),
    ],
)
def test_dump_in_either_encoding_and_writer_imports_the_same(tmp_path, charset, style):
    dump, uploads = sample_dle_site(tmp_path)
    # Kazakh letters do not exist in windows-1251: such sites were Russian only.
    if charset == "cp1251":
        dump.tables["post"] = [p for p in dump.tables["post"] if p["id"] != 4]
        dump.tables["category"] = [c for c in dump.tables["category"] if c["id"] != 3]
    path = dump.write(tmp_path / "dump.sql", charset=charset, style=style)
    output = run(path, "--uploads", uploads)
    expected = 4 if charset == "cp1251" else 5
    assert f"Articles created: {expected}" in output
    titles = set(ArticlePage.objects.values_list("title", flat=True))
    assert {"Конференция в Алматы", "Второй день конференции", "Итоги месяца"} <= titles


def test_dump_that_lies_about_its_encoding_is_refused(tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    path = dump.write(tmp_path / "dump.sql", charset="utf8mb4")
    text = path.read_bytes().replace(b"SET NAMES utf8mb4", b"SET NAMES cp1251")
    path.write_bytes(text.replace(b"CHARSET=utf8mb4", b"CHARSET=cp1251"))
    before = state()
    with pytest.raises(
        CommandError, match="declares the character set cp1251, but its text is UTF-8"
    ):
        run(path, "--uploads", uploads)
    assert state() == before


def test_windows_1251_bytes_in_a_utf8_dump_name_their_line(tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    path = dump.write(tmp_path / "dump.sql", charset="utf8mb4")
    lines = path.read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(b"INSERT INTO `dle_static`"))
    lines[number] = lines[number].replace("партии".encode(), "партии".encode("cp1251"))
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(CommandError, match=f"Line {number + 1} is not valid utf-8"):
        run(path, "--uploads", uploads)
    assert not ArticlePage.objects.filter(title="Конференция в Алматы").exists()


def test_truncated_dump_is_refused_and_leaves_nothing(tmp_path, settings):
    dump, uploads = sample_dle_site(tmp_path)
    full = dump.write(tmp_path / "full.sql")
    size = full.stat().st_size
    path = dump.write(tmp_path / "dump.sql", cut_at=int(size * 0.6))
    before, files = state(), media_files(settings)
    with pytest.raises(CommandError, match="cut short"):
        run(path, "--uploads", uploads)
    assert state() == before
    assert media_files(settings) == files
    assert SiteImport.objects.filter(status="failed").exists()


def test_dump_cut_inside_the_posts_is_refused_after_writing_files(tmp_path, settings):
    """phpMyAdmin writes no closing line: the cut shows only inside the post rows, after
    the pictures of earlier posts were stored; they are removed again."""
    dump, uploads = sample_dle_site(tmp_path)
    path = dump.write(tmp_path / "dump.sql", style="phpmyadmin")
    text = path.read_bytes()
    cut = text.index("Итоги месяца".encode())
    path.write_bytes(text[:cut])
    before, files = state(), media_files(settings)
    with pytest.raises(CommandError, match="cut short|cannot read"):
        run(path, "--uploads", uploads)
    assert state() == before
    assert media_files(settings) == files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "binary data"),
        (
            b"-- a dump\nSET NAMES utf8mb4;\nCREATE TABLE `wp_posts` (\n  `ID` int\n);\n",
            "no DataLife Engine tables",
        ),
        (
            b"SET NAMES utf8mb4;\nINSERT INTO `dle_post` VALUES (1,'a');\n",
            "no DataLife Engine tables",
        ),
        (b"hello\n", "declares no character set"),
    ],
)
def test_what_is_not_a_dle_dump_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "dump.sql"
    path.write_bytes(content)
    before = state()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert state() == before


def test_row_with_the_wrong_number_of_values_names_table_and_line(tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    path = dump.write(tmp_path / "dump.sql", style="phpmyadmin")
    text = path.read_text().replace("(1, 'О партии'", "(1, 'О партии', 'лишнее'", 1)
    text = text.replace("(1, 'about', 'О партии'", "(1, 'about', 'О партии', 'лишнее'", 1)
    path.write_text(text)
    with pytest.raises(
        CommandError, match=r"Table dle_static, statement on line \d+: a row has 20 values for 19"
    ):
        run(path, "--uploads", uploads)


def test_missing_uploads_folder_is_refused(tmp_path):
    dump, _uploads = sample_dle_site(tmp_path)
    with pytest.raises(CommandError, match="does not exist"):
        run(dump.write(tmp_path / "dump.sql"), "--uploads", tmp_path / "nowhere")


def test_dry_run_reports_and_saves_nothing(tmp_path, settings):
    dump, uploads = sample_dle_site(tmp_path)
    before, files = state(), media_files(settings)
    output = run(dump.write(tmp_path / "dump.sql"), "--uploads", uploads, "--dry-run")
    assert "Dry run: nothing was saved." in output and "Articles created: 5" in output
    assert state() == before
    assert media_files(settings) == files


def test_language_of_puts_a_category_in_the_kazakh_tree(tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    run(dump.write(tmp_path / "dump.sql"), "--uploads", uploads, "--language-of", "stati=kk")
    record = ImportedItem.objects.get(source="dle", container="post", item="5")
    assert Page.objects.get(pk=record.page_id).locale.language_code == "kk"


def test_table_prefix_is_detected(tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    dump.prefix = "site2"
    assert "Articles created: 5" in run(dump.write(tmp_path / "dump.sql"), "--uploads", uploads)


@pytest.mark.skipif(shutil.which("mysqldump") is None, reason="mysqldump is not installed")
def test_dump_made_by_real_mysqldump_imports(tmp_path):
    """The sample site loaded into MariaDB/MySQL and dumped by mysqldump itself."""
    dump, uploads = sample_dle_site(tmp_path)
    source = dump.write(tmp_path / "source.sql", style="phpmyadmin")
    database = f"iskra_dle_{tmp_path.name[-8:].replace('-', '_')}"
    mysql = ["mysql", "-uroot", "-h127.0.0.1", "--default-character-set=utf8mb4"]
    try:
        subprocess.run(
            [*mysql, "-e", f"CREATE DATABASE {database} CHARACTER SET utf8mb4"],
            check=True,
            capture_output=True,
            timeout=30,
        )
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.skip(f"no MySQL/MariaDB server to dump from: {getattr(error, 'stderr', error)!r}")
    try:
        with source.open("rb") as handle:
            subprocess.run(
                [*mysql, database], stdin=handle, check=True, capture_output=True, timeout=60
            )
        real = tmp_path / "real.sql"
        with real.open("wb") as handle:
            subprocess.run(
                ["mysqldump", "-uroot", "-h127.0.0.1", "--default-character-set=utf8mb4", database],
                stdout=handle,
                check=True,
                timeout=60,
            )
    finally:
        subprocess.run([*mysql, "-e", f"DROP DATABASE {database}"], capture_output=True, timeout=30)
    output = run(real, "--uploads", uploads)
    assert (
        "Articles created: 5" in output
        and "Comments counted, not imported (Iskra has no comments): 3" in output
    )


def test_check_redirects_lists_what_would_not_land(tmp_path):
    dump, uploads = sample_dle_site(tmp_path)
    run(dump.write(tmp_path / "dump.sql"), "--uploads", uploads)
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://old.example.kz/novosti/regiony/1-konferenciya-v-almaty.html</loc></url>"
        "<url><loc>http://old.example.kz/index.php?newsid=2</loc></url>"
        "<url><loc>http://old.example.kz/about.html</loc></url>"
        "<url><loc>http://old.example.kz/never-was.html</loc></url>"
        "</urlset>"
    )
    with pytest.raises(SystemExit) as exited:
        output = io.StringIO()
        with override_settings(LANGUAGE_CODE="en"):
            call_command("check_redirects", str(sitemap), stdout=output)
    assert exited.value.code == 1
    text = output.getvalue()
    assert "404  http://old.example.kz/never-was.html" in text
    assert "3 of 4 old addresses land on a page; 1 do not." in text
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "/novosti/regiony/1-konferenciya-v-almaty.html\n# a comment\n/tags/Алматы/\n"
    )
    assert "2 of 2 old addresses land on a page" in run(listing, command="check_redirects")


def test_check_redirects_refuses_an_entity_bomb(tmp_path):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<urlset>&b;</urlset>"
    )
    with pytest.raises(CommandError, match="not a readable sitemap"):
        run(sitemap, command="check_redirects")


def test_admin_search_finds_imported_pages_and_pictures_once_committed(
    tmp_path, django_capture_on_commit_callbacks
):
    """The admin search is filled by tasks queued when the import commits."""
    dump, uploads = sample_dle_site(tmp_path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(dump.write(tmp_path / "dump.sql"), "--uploads", uploads)
    assert callbacks
    records = {
        r.item: r.page_id for r in ImportedItem.objects.filter(source="dle", container="post")
    }
    assert records["1"] in [p.pk for p in ArticlePage.objects.search("двенадцати регионов")]
    assert records["3"] in [p.pk for p in ArticlePage.objects.search("Черновик")]  # a draft
    assert get_image_model().objects.search("Трибуна").count() == 1  # a picture's alt text
    cover = ArticlePage.objects.get(pk=records["1"]).cover_image_id
    assert cover in [i.pk for i in get_image_model().objects.search("Алматы")]  # its title


def test_temporary_redirect_stays_temporary(client):
    """An editor's temporary redirect is answered as Wagtail answers it, not as a 301."""
    Redirect.objects.create(old_path="/akciya", redirect_link="/ru/", is_permanent=False)
    response = client.get("/akciya/")
    assert (response.status_code, response["Location"]) == (302, "/ru/")
