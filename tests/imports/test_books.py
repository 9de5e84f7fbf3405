"""Reading e-books into the library's plain tree: real books, encodings, hostile files."""

import re
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from iskra.imports.books import BookError, read_book
from tests.shared_data import shared_data

FILES = Path(__file__).parent / "files" / "books"
SHARED = shared_data() / "books"
needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason=f"{SHARED} is absent (the shared data set is needed)"
)


@pytest.fixture(autouse=True)
def _english():
    """Match the messages' English source (their ru/kk translations are in the catalogs)."""
    with translation.override("en"):
        yield


def test_fb2_structure_metadata_notes_and_images():
    book = read_book(FILES / "small.fb2")

    assert book.title == "Заметки о кружке"
    assert book.authors == ["Иван Тестов"] and book.translators == ["Айгүл Сапарова"]
    assert (book.language, book.year) == ("ru", "1925")
    assert [(depth, s.title) for depth, s in book.walk()] == [
        (0, "Часть первая"),
        (1, "Глава 1. Как начать"),
        (1, "Глава 2. Қазақша бөлім"),
    ]
    part, (chapter, kazakh) = book.sections[0], book.sections[0].children
    assert part.blocks[0].kind == "epigraph" and 'class="author">Из письма' in part.blocks[0].html
    assert chapter.blocks[0].html == (
        "Кружок собирается по <b>вторникам</b> и читает <i>вслух</i>."
        '<a href="#note-n1" class="noteref">[1]</a>'
    )
    assert [b.kind for b in chapter.blocks] == ["p", "subtitle", "p", "empty", "poem"]
    assert '<a href="https://example.org/kruzhok">' in chapter.blocks[2].html
    assert "весь мир голодных и рабов!" in chapter.blocks[4].html
    assert book.notes == {"n1": "<p>Примечание к первой главе.</p>"}
    assert kazakh.blocks[1].kind == "image" and book.images["pic1"][0] == "image/png"
    assert book.images["pic1"][1].startswith(b"\x89PNG")


def test_fb2_in_windows_1251_is_read():
    book = read_book(FILES / "small-cp1251.fb2")

    assert book.title == "Заметки о кружке"
    assert book.translators == ["Айгуль Сапарова"]


def test_fb2_zip_is_read(tmp_path):
    archive = tmp_path / "book.fb2.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(FILES / "small.fb2", "small.fb2")

    assert read_book(archive).title == "Заметки о кружке"


@needs_shared
def test_real_books_from_the_shared_data():
    dietzgen = read_book(SHARED / "dietzgen_izbrannye_filosofskie_sochineniya.fb2")
    test_book = read_book(SHARED / "fb2_feature_test_book_kaznelson.fb2")

    assert dietzgen.title == "Избранные философские сочинения"
    assert dietzgen.authors == ["Иосиф Дицген"]
    assert sum(1 for _ in dietzgen.walk()) > 10
    words = sum(len(b.html.split()) for _d, s in dietzgen.walk() for b in s.blocks)
    assert words > 50_000
    assert len(test_book.authors) == 3 and test_book.notes and test_book.images
    kinds = {b.kind for _d, s in test_book.walk() for b in s.blocks}
    assert {"p", "poem", "epigraph", "table", "image", "cite"} <= kinds


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"><body><p>&lol3;</p></body></FictionBook>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"><body><p>&secret;</p></body></FictionBook>"""
NO_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"><description/></FictionBook>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BOMB, "declares a DTD or entities"),
        (XXE, "declares a DTD or entities"),
        (NO_BODY, "has no <body>"),
        (b"<FictionBook><body><p>unclosed</body></FictionBook>", "line 1"),
        (b"<html><body><p>not a book</p></body></html>", "not an FB2 book"),
        (
            '<?xml version="1.0" encoding="utf-8"?>\n<FictionBook xmlns="http://www.gribuser.ru/'
            'xml/fictionbook/2.0"><body><section><p>Привет</p></section></body></FictionBook>'.encode(
                "cp1251"
            ),
            "line 2",
        ),
    ],
)
def test_hostile_or_broken_fb2_is_refused_with_a_message(tmp_path, content, message):
    path = tmp_path / "book.fb2"
    path.write_bytes(content)

    with pytest.raises(BookError, match=message):
        read_book(path)


def test_wrong_encoding_declaration_is_named(tmp_path):
    path = tmp_path / "book.fb2"
    path.write_bytes((FILES / "small-cp1251.fb2").read_bytes().replace(b"windows-1251", b"UTF-8"))

    with pytest.raises(BookError, match="not valid UTF-8, the encoding the file declares"):
        read_book(path)


def test_truncated_zip_is_refused(tmp_path):
    archive = tmp_path / "book.fb2.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.write(FILES / "small.fb2", "small.fb2")
    truncated = tmp_path / "cut.fb2.zip"
    truncated.write_bytes(archive.read_bytes()[:300])

    with pytest.raises(BookError, match="damaged"):
        read_book(truncated)


def test_file_over_the_limit_is_refused_before_reading(tmp_path, settings):
    settings.LIBRARY_IMPORT_MAX_MB = 1
    path = tmp_path / "huge.fb2"
    with path.open("wb") as handle:
        handle.seek(300 * 1024 * 1024 - 1)  # a sparse 300 MB file
        handle.write(b"\0")

    with pytest.raises(BookError, match="300 MB"):
        read_book(path)


def test_zip_bomb_entry_is_refused(tmp_path, settings):
    settings.LIBRARY_IMPORT_MAX_MB = 1
    archive = tmp_path / "bomb.fb2.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("bomb.fb2", b"<" + b"a" * (5 * 1024 * 1024))

    with pytest.raises(BookError, match="larger than 1 MB when unpacked"):
        read_book(archive)


def test_messages_are_translated(tmp_path):
    path = tmp_path / "book.fb2"
    path.write_bytes(NO_BODY)

    with translation.override("kk"), pytest.raises(BookError, match="импорттайтын мәтін жоқ"):
        read_book(path)


def _volume_epub(tmp_path):
    import datetime as dt

    from iskra.publishing.document import Chapter, Document
    from iskra.publishing.epub import build_epub

    document = Document(
        title="Сборник",
        language="kk",
        identifier="https://example.org/v#volume",
        authors=["Айнұр Құрманов"],
        date=dt.date(2022, 12, 30),
        chapters=[
            Chapter("Бірінші баяндама", "<p>Мәтін <b>қалың</b> және <i>көлбеу</i>.</p>", "А. Қ."),
            Chapter("Екінші баяндама", "<p>Екінші мәтін.</p><ul><li>бір</li></ul>"),
        ],
    )
    path = tmp_path / "volume.epub"
    path.write_bytes(build_epub(document))
    return path


def test_epub_written_by_iskra_reads_back(tmp_path):
    book = read_book(_volume_epub(tmp_path))

    assert (book.title, book.authors, book.language, book.year) == (
        "Сборник",
        ["Айнұр Құрманов"],
        "kk",
        "2022",
    )
    titles = [s.title for _d, s in book.walk()]
    assert titles == ["Бірінші баяндама", "Екінші баяндама"]  # the empty title page is left out
    first = next(s for _d, s in book.walk() if s.title == "Бірінші баяндама")
    assert any("<b>қалың</b>" in b.html and "<i>көлбеу</i>" in b.html for b in first.blocks)


@needs_shared
def test_real_epub_from_the_shared_data():
    book = read_book(SHARED / "dietzgen_izbrannye_filosofskie_sochineniya.epub")

    assert book.title == "Избранные философские сочинения"
    assert book.authors == ["Иосиф Дицген"] and book.language == "ru"
    assert sum(1 for _ in book.walk()) > 10
    words = sum(len(b.html.split()) for _d, s in book.walk() for b in s.blocks)
    assert words > 50_000


@needs_shared
def test_real_markdown_book_from_the_shared_data():
    book = read_book(SHARED / "lenin_gosudarstvo_i_revolyuciya.comtext.md")

    assert book.title == "Государство и революция"
    chapters = [s.title for depth, s in book.walk() if depth == 0]
    assert any(t.startswith("ГЛАВА I. КЛАССОВОЕ ОБЩЕСТВО") for t in chapters)
    first = next(s for _d, s in book.walk() if s.title.startswith("ГЛАВА I."))
    assert [c.title for c in first.children][0].startswith("1. ГОСУДАРСТВО - ПРОДУКТ")
    assert len(book.notes) > 50
    assert any('class="noteref"' in b.html for _d, s in book.walk() for b in s.blocks)


def test_plain_text_headings_and_paragraphs(tmp_path):
    path = tmp_path / "zametki.txt"
    path.write_text(
        "ГЛАВА ПЕРВАЯ\n\nПервый абзац\nпродолжается здесь.\n\nВторой абзац.\n\n"
        "Глава вторая\n\nТретий абзац с *курсивом*.\n",
        encoding="cp1251",
    )

    book = read_book(path)

    assert [s.title for _d, s in book.walk()] == ["ГЛАВА ПЕРВАЯ", "Глава вторая"]
    assert book.sections[0].blocks[0].html == "Первый абзац продолжается здесь."
    assert book.sections[1].blocks[0].html == "Третий абзац с <i>курсивом</i>."


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"mimetype": "application/epub+zip"}, "META-INF/container.xml is missing"),
        (
            {
                "META-INF/container.xml": '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x "y">]>'
                '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"/>',
            },
            "declares entities",
        ),
        (
            {"META-INF/container.xml": "<container><rootfiles>"},
            "not well-formed",
        ),
    ],
)
def test_broken_epub_is_refused_naming_the_entry(tmp_path, entries, message):
    path = tmp_path / "broken.epub"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)

    with pytest.raises(BookError, match=message):
        read_book(path)


def test_truncated_epub_is_refused(tmp_path):
    whole = _volume_epub(tmp_path)
    cut = tmp_path / "cut.epub"
    cut.write_bytes(whole.read_bytes()[:500])

    with pytest.raises(BookError, match="damaged"):
        read_book(cut)


DEMO_BOOKS = Path(__file__).resolve().parents[2] / "src" / "iskra" / "library" / "demo_books"


def test_pandoc_epub_footnotes_become_notes_keyed_by_file():
    book = read_book(DEMO_BOOKS / "dietzgen_izbrannye_filosofskie_sochineniya.epub")

    # Two chapter files both number their notes from fn1: the keys keep them apart.
    assert book.notes["ch003-fn1"] == "<p><b>Ленин</b>, Соч., т. XVI, изд. 3-е, стр. 378–380.</p>"
    assert book.notes["ch004-fn1"].startswith("<p>Матери наук.")
    assert len(book.notes) == 29
    references = [
        key
        for _depth, section in book.walk()
        for block in section.blocks
        for key in re.findall(r'href="#note-([^"]+)"', block.html)
    ]
    assert sorted(set(references)) == sorted(book.notes)
    texts = " ".join(block.html for _d, s in book.walk() for block in s.blocks)
    assert "footnote-back" not in texts and "Table of Contents" not in texts


def test_epub_navigation_and_title_page_are_not_chapters():
    book = read_book(DEMO_BOOKS / "dietzgen_izbrannye_filosofskie_sochineniya.epub")

    titles = [section.title for _depth, section in book.walk()]
    assert titles[:3] == [
        "От редакции",
        "К двадцатипятилетию смерти Иосифа Дицгена",
        "Раздел первый",
    ]
    preface = next(s for _d, s in book.walk() if s.title == "Предисловие")
    assert preface.blocks[0].kind == "p"  # its own heading is not repeated as a subtitle


def test_verse_in_markdown_keeps_its_lines():
    book = read_book(DEMO_BOOKS / "abai_qara_sozder.md")

    sixth = next(s for _d, s in book.walk() if s.title == "Алтыншы сөз")
    verse = [block for block in sixth.blocks if block.kind == "poem"]
    assert verse[0].html.startswith("<p>Кеселді жалқау, қылжақбас,</p><p>Әзір тамақ, әзір ас,</p>")
    assert book.title == "Қара сөздер (таңдамалы)"
