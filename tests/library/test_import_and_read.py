"""Importing a book into the library, reading it by chapter, anchors kept on re-import."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from iskra.library.models import Chapter, Paragraph, WorkPage

pytestmark = pytest.mark.django_db

BOOK = Path(__file__).resolve().parent.parent / "imports" / "files" / "books" / "small.fb2"


def run(path, *args):
    out = io.StringIO()
    call_command("import_book", str(path), *args, stdout=out)
    return out.getvalue()


def test_import_creates_author_work_chapters_and_paragraphs(library):
    report = run(BOOK)

    work = WorkPage.objects.get(title="Заметки о кружке")
    assert work.get_parent().title == "Иван Тестов"
    assert work.translator == "Айгүл Сапарова" and work.year_written == "1925"
    assert [c.title for c in work.chapters.all()] == [
        "Часть первая",
        "Глава 1. Как начать",
        "Глава 2. Қазақша бөлім",
    ]
    first = work.chapters.get(title="Глава 1. Как начать")
    assert first.parent.title == "Часть первая" and first.depth == 1
    assert [p.number for p in first.paragraphs.all()] == [1, 2, 3, 4]
    assert "created, 3 chapters" in report


def test_chapter_page_has_anchors_notes_breadcrumbs_and_neighbours(client, library):
    run(BOOK)
    work = WorkPage.objects.get(title="Заметки о кружке")
    chapter = work.chapters.get(title="Глава 1. Как начать")

    html = client.get(f"{work.url}{chapter.slug}/").content.decode()

    assert '<p id="p-1">Кружок собирается по <b>вторникам</b>' in html
    assert 'href="#note-n1"' in html and 'id="note-n1"' in html
    assert "Примечание к первой главе." in html
    assert ">Библиотека</a>" in html and ">Иван Тестов</a>" in html
    assert 'rel="next"' in html and "Глава 2. Қазақша бөлім" in html
    toc = client.get(work.url).content.decode()
    assert f'href="{work.url}{chapter.slug}/"' in toc


def test_unknown_chapter_is_404(client, library):
    run(BOOK)
    work = WorkPage.objects.get(title="Заметки о кружке")

    assert client.get(f"{work.url}no-such-chapter/").status_code == 404


def test_reimport_updates_in_place_and_keeps_anchors_of_unchanged_text(library, tmp_path):
    run(BOOK)
    work = WorkPage.objects.get(title="Заметки о кружке")
    chapter = work.chapters.get(title="Глава 1. Как начать")
    before = {p.number: p.html for p in chapter.paragraphs.all()}
    changed = tmp_path / "small.fb2"
    text = BOOK.read_text(encoding="utf-8").replace(
        "<subtitle>Первое занятие</subtitle>",
        "<p>Новый абзац в начале занятия.</p><subtitle>Первое занятие</subtitle>",
    )
    changed.write_text(text, encoding="utf-8")

    report = run(changed)

    assert WorkPage.objects.filter(title="Заметки о кружке").count() == 1
    chapter = Chapter.objects.get(work=work, title="Глава 1. Как начать")
    after = {p.number: p.html for p in chapter.paragraphs.all()}
    for number, html in before.items():
        assert after[number] == html  # every old anchor still points at the same text
    new = [n for n, html in after.items() if "Новый абзац" in html]
    assert new == [max(before) + 1]
    assert "updated" in report and "anchors kept" in report


def test_broken_book_imports_nothing(library, tmp_path):
    broken = tmp_path / "broken.fb2"
    broken.write_bytes(b"<FictionBook><body><p>unclosed</body>")

    works, paragraphs = WorkPage.objects.count(), Paragraph.objects.count()

    with pytest.raises(CommandError, match="Ничего не импортировано"):
        run(broken)

    assert WorkPage.objects.count() == works and Paragraph.objects.count() == paragraphs


def test_admin_upload_imports_a_book(editor_client, library):
    with BOOK.open("rb") as upload:
        response = editor_client.post(
            "/admin/library/import/",
            {"library": library.pk, "author": "Иван Тестов", "book": upload},
        )

    assert response.status_code == 302
    assert WorkPage.objects.filter(title="Заметки о кружке").exists()


def test_admin_upload_of_a_broken_book_shows_why_and_imports_nothing(
    editor_client, library, tmp_path
):
    broken = tmp_path / "bomb.fb2"
    broken.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><FictionBook><body/></FictionBook>'
    )
    works = WorkPage.objects.count()

    with broken.open("rb") as upload:
        response = editor_client.post(
            "/admin/library/import/", {"library": library.pk, "book": upload}
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert "DTD" in html and "Ничего не импортировано" in html
    assert WorkPage.objects.count() == works


def test_editors_without_a_library_cannot_import(client, library):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("nolib", "n@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get("/admin/library/import/")

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_library_and_author_pages_list_authors_and_works(client, library):
    run(BOOK)
    author = WorkPage.objects.get(title="Заметки о кружке").get_parent()

    library_html = client.get(library.url).content.decode()
    author_html = client.get(author.url).content.decode()

    assert "Иван Тестов" in library_html and f'href="{author.url}"' in library_html
    assert "Заметки о кружке" in author_html and "1925" in author_html
