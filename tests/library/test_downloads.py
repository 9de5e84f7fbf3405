"""A work's editions (EPUB, PDF, the original file), its pictures and note back-links."""

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from iskra.library.models import Note, WorkOriginal, WorkPage
from iskra.publishing import services
from iskra.publishing.models import Edition, EditionStatus

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent.parent / "imports" / "files" / "books"
BOOK = FILES / "small.fb2"
EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar"
has_epubcheck = shutil.which("java") and os.path.exists(EPUBCHECK_JAR)


def import_small(path=BOOK):
    call_command("import_book", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return WorkPage.objects.get(title="Заметки о кружке")


def build():
    out = io.StringIO()
    call_command("build_editions", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def stored_media(settings):
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_original_fb2_is_kept_and_sent_under_the_works_name(client, library):
    work = import_small()

    response = client.get(f"{work.url}download/original/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == BOOK.read_bytes()
    assert response["Content-Type"] == "application/x-fictionbook+xml"
    assert f'filename="{work.slug}.fb2"' in response["Content-Disposition"]


def test_editions_are_built_by_the_command_and_offered_on_the_work_page(client, library):
    work = import_small()
    before = client.get(work.url).content.decode()
    assert "Издания EPUB и PDF готовятся" in before
    assert f"{work.url}download/epub/" not in before
    assert client.get(f"{work.url}download/epub/").status_code == 404

    report = build()

    assert "Заметки о кружке (epub): built" in report
    assert "Заметки о кружке (pdf): built" in report
    editions = Edition.objects.filter(page_id=work.pk)
    assert {(e.format, e.status) for e in editions} == {("epub", "built"), ("pdf", "built")}
    assert all(e.size > 0 for e in editions)
    page = client.get(work.url).content.decode()
    assert f'href="{work.url}download/epub/"' in page and f'href="{work.url}download/pdf/"' in page
    epub = client.get(f"{work.url}download/epub/")
    assert epub["Content-Type"] == "application/epub+zip"
    data = b"".join(epub.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        nav = archive.read("OEBPS/nav.xhtml").decode()
        chapters = [archive.read(n).decode() for n in archive.namelist() if "chapter-" in n]
    # The contents keep the book's nesting: chapter 1 sits inside part one.
    assert "Часть первая</a><ol><li>" in nav and "Глава 1. Как начать" in nav
    chapter_one = next(c for c in chapters if "Глава 1. Как начать" in c)
    assert 'epub:type="noteref"' in chapter_one and 'href="#note-n1"' in chapter_one
    assert '<aside id="note-n1"' in chapter_one and "Примечание к первой главе." in chapter_one
    assert "Вставай, проклятьем заклеймённый," in chapter_one
    # Nothing to do the second time: the editions are current.
    assert build() == "0 pages checked\n"


def test_a_changed_work_is_built_again_and_the_old_files_go(
    library, settings, django_capture_on_commit_callbacks
):
    work = import_small()
    build()
    old = Edition.objects.get(page_id=work.pk, format="epub").file.name

    work.translator = "Другой переводчик"
    with services.building_deferred(work.pk):  # left to the periodic check
        work.save_revision().publish()

    assert [w.pk for w in services.stale_pages()] == [work.pk]
    with django_capture_on_commit_callbacks(execute=True):
        build()
    assert Edition.objects.get(page_id=work.pk, format="epub").file.name != old
    assert not (Path(settings.MEDIA_ROOT) / old).exists()


def test_a_failed_build_keeps_the_previous_editions_online(client, library, monkeypatch):
    work = import_small()
    build()
    work.title = "Заметки о кружке"  # same title; a new import time makes it stale
    call_command("import_book", str(BOOK), stdout=io.StringIO())

    def broken(document):
        raise RuntimeError("out of paper")

    monkeypatch.setitem(services.BUILDERS, "pdf", broken)
    err = io.StringIO()
    out = io.StringIO()
    call_command("build_editions", stdout=out, stderr=err)

    pdf = Edition.objects.get(page_id=work.pk, format="pdf")
    assert pdf.status == EditionStatus.FAILED and "out of paper" in pdf.error
    assert "out of paper" in out.getvalue()
    assert Edition.objects.get(page_id=work.pk, format="epub").status == EditionStatus.BUILT
    assert client.get(f"{work.url}download/pdf/").status_code == 200
    assert client.get(f"{work.url}download/epub/").status_code == 200


@pytest.mark.skipif(
    not has_epubcheck,
    reason="epubcheck not installed (apt-get install epubcheck); .ci/run installs it",
)
def test_work_epub_with_notes_and_nesting_passes_epubcheck(library, tmp_path):
    work = import_small()
    build()
    path = tmp_path / "work.epub"
    path.write_bytes(Edition.objects.get(page_id=work.pk, format="epub").file.read())

    result = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(path)], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


@pytest.mark.skipif(
    not shutil.which("pdftotext"),
    reason="pdftotext not installed (apt-get install poppler-utils); .ci/run installs it",
)
def test_work_pdf_has_chapters_notes_and_kazakh_letters(library, tmp_path):
    work = import_small()
    build()
    path = tmp_path / "work.pdf"
    path.write_bytes(Edition.objects.get(page_id=work.pk, format="pdf").file.read())

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert "Глава 1. Как начать" in text and "Глава 2. Қазақша бөлім" in text
    assert "Примечание к первой главе." in text
    assert "ә ғ қ ң ө ұ ү һ і" in text
    assert "Айгүл Сапарова" in text  # the translator on the title page


def test_embedded_picture_is_shown_in_its_chapter(client, library):
    work = import_small()
    chapter = work.chapters.get(title="Глава 2. Қазақша бөлім")

    html = client.get(f"{work.url}{chapter.slug}/").content.decode()

    image = work.images.get(key="pic1")
    assert f'<img src="{image.file.url}" width="1" height="1"' in html
    assert image.file.read().startswith(b"\x89PNG")


def test_a_binary_that_is_not_a_picture_is_left_out_and_named(library, tmp_path):
    text = BOOK.read_text(encoding="utf-8").replace(
        "</FictionBook>",
        '<binary id="evil" content-type="image/png">PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</binary>'
        "</FictionBook>",
    )
    path = tmp_path / "book.fb2"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()

    call_command("import_book", str(path), stdout=io.StringIO(), stderr=err)

    work = WorkPage.objects.get(title="Заметки о кружке")
    assert list(work.images.values_list("key", flat=True)) == ["pic1"]
    assert "evil" in err.getvalue()


def test_notes_link_back_to_the_paragraph_that_cites_them(client, library):
    work = import_small()
    chapter = work.chapters.get(title="Глава 1. Как начать")

    html = client.get(f"{work.url}{chapter.slug}/").content.decode()

    assert 'class="note__back" href="#p-1"' in html


def test_an_import_that_fails_leaves_no_files_behind(library, settings, monkeypatch):
    before = stored_media(settings)
    originals_before = WorkOriginal.objects.count()

    def refuse(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Note.objects, "bulk_create", refuse)
    with pytest.raises(RuntimeError):
        import_small()

    assert stored_media(settings) == before
    assert not WorkPage.objects.filter(title="Заметки о кружке").exists()
    assert WorkOriginal.objects.count() == originals_before


def test_a_work_too_long_for_one_pdf_gets_the_epub_only(client, library, settings):
    settings.PUBLISHING_PDF_MAX_WORDS = 20
    work = import_small()

    build()

    epub = Edition.objects.get(page_id=work.pk, format="epub")
    pdf = Edition.objects.get(page_id=work.pk, format="pdf")
    assert epub.status == EditionStatus.BUILT and epub.file
    assert pdf.status == EditionStatus.SKIPPED and not pdf.file and "20" in pdf.error
    html = client.get(work.url).content.decode()
    assert f"{work.url}download/epub/" in html and f"{work.url}download/pdf/" not in html
    assert "слишком велико для одного PDF" in html
    assert client.get(f"{work.url}download/pdf/").status_code == 404
