from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BOOK = Path(__file__).resolve().parent.parent / "imports" / "files" / "books" / "small.fb2"


def test_cite_copies_author_work_chapter_paragraph_and_anchor(tab, library):
    from iskra.library.models import WorkPage

    call_command("import_book", str(BOOK), stdout=open("/dev/null", "w"))  # noqa: SIM115
    work = WorkPage.objects.get(title="Заметки о кружке")
    chapter = work.chapters.get(title="Глава 1. Как начать")
    page = tab.open(f"{work.url}{chapter.slug}/")

    page.click("#p-3 a.cite")
    page.wait_for_selector("#p-3 a.cite[data-copied]")
    copied = page.evaluate("navigator.clipboard.readText()")

    assert copied == (
        f"Иван Тестов. Заметки о кружке. Глава 1. Как начать, абзац 3. "
        f"http://localhost{work.url}{chapter.slug}/#p-3"
    )
