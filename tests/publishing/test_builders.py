"""EPUB 3 and PDF from one document model, checked by epubcheck and pdftotext."""

import datetime as dt
import shutil
import subprocess
import zipfile

import pytest

from iskra.publishing.document import Chapter, Document
from iskra.publishing.epub import build_epub
from iskra.publishing.pdf import build_pdf

EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar"
KAZAKH_LETTERS = "әғқңөұүһі"


def sample_document():
    return Document(
        title="Конференция «В защиту СССР»",
        subtitle="Сборник докладов",
        language="ru",
        identifier="urn:uuid:0b5e8c7e-6c2e-4d0a-9c49-3f7a1f0c2a11",
        authors=["Айнур Курманов", "Ольга Шин"],
        publisher="Инициативная группа",
        date=dt.date(2022, 12, 30),
        title_page=[("Дата", "30 декабря 2022"), ("Город", "Алматы")],
        chapters=[
            Chapter(
                title="Как создавался Советский Союз",
                byline="Айнур Курманов",
                body_html=(
                    "<p>Текст с <b>жирным</b>, <i>курсивом</i> & <a href='https://example.org'>"
                    "ссылкой</a>.</p><ul><li>один</li><li>два</li></ul>"
                    "<blockquote>Цитата</blockquote><script>alert(1)</script>"
                ),
            ),
            Chapter(
                title="Қазақ КСР-і туралы",
                byline="Ольга Шин",
                body_html=f"<p>Қазақша мәтін: {KAZAKH_LETTERS} — әріптер.</p>loose text<br>",
            ),
        ],
        colophon=["Перепечатка со ссылкой на сайт.", "https://example.org/events/x/"],
        colophon_title="Выходные данные",
        contents_title="Содержание",
        url="https://example.org/events/x/",
    )


def test_epub_layout_and_content():
    data = build_epub(sample_document())

    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        chapter = archive.read("OEBPS/chapter-001.xhtml").decode()
        nav = archive.read("OEBPS/nav.xhtml").decode()
    assert "<b>жирным</b>" in chapter and "&amp;" in chapter and "alert" not in chapter
    assert "Как создавался Советский Союз" in nav and "Выходные данные" in nav


@pytest.mark.skipif(
    not (shutil.which("java") and __import__("os").path.exists(EPUBCHECK_JAR)),
    reason="epubcheck not installed (apt-get install epubcheck); .ci/run installs it",
)
def test_epub_passes_epubcheck_without_errors_or_warnings(tmp_path):
    path = tmp_path / "volume.epub"
    path.write_bytes(build_epub(sample_document()))

    result = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(path)], capture_output=True, text=True, timeout=120
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No errors or warnings detected" in output


@pytest.mark.skipif(
    not shutil.which("pdftotext"),
    reason="pdftotext not installed (apt-get install poppler-utils); .ci/run installs it",
)
def test_pdf_text_has_titles_and_kazakh_letters(tmp_path):
    path = tmp_path / "volume.pdf"
    path.write_bytes(build_pdf(sample_document()))

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert "Как создавался Советский Союз" in text
    assert "Қазақ КСР-і туралы" in text
    assert all(letter in text for letter in KAZAKH_LETTERS)
    assert "Содержание" in text and "Выходные данные" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Roboto" in fonts and " yes " in fonts  # embedded


def test_pdf_is_a_pdf():
    data = build_pdf(sample_document())

    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
