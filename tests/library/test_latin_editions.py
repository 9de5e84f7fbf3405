"""A Kazakh work's editions also exist in Latin letters, built from the same document."""

import io
import shutil
import subprocess
import zipfile

import pytest

from iskra.publishing import services
from iskra.publishing.models import Edition, EditionStatus
from tests.factories import library as library_factory
from tests.library.test_downloads import EPUBCHECK_JAR, has_epubcheck

pytestmark = pytest.mark.django_db

CHAPTERS = {
    "Бірінші тарау": ["<p>Іле өңірінің жұмысшылары ұйымдасты.</p>"],
    "Екінші тарау": ["<p>ЖИЫН Шымкентте өтті.</p>", "<p>Ещё бір сөз.</p>"],
}


@pytest.fixture
def kk_work(kk_home):
    shelf = library_factory.library("kk")
    work = library_factory.work(
        library=shelf, title="Кәсіподақтар туралы", author="Абай Құнанбаев", chapters=CHAPTERS
    )
    services.build_editions(work)
    return work


def latin(url):
    return url.replace("/kk/", "/kk-latn/", 1)


def epub_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(
            book.read(name).decode()
            for name in book.namelist()
            if name.endswith((".xhtml", ".opf"))
        )


def test_kazakh_work_has_editions_in_both_scripts(kk_work):
    built = {(e.format, e.script): e.status for e in Edition.objects.filter(page_id=kk_work.pk)}

    assert built == {
        ("epub", ""): EditionStatus.BUILT,
        ("pdf", ""): EditionStatus.BUILT,
        ("epub", "latn"): EditionStatus.BUILT,
        ("pdf", "latn"): EditionStatus.BUILT,
    }
    assert kk_work.pk not in [page.pk for page in services.stale_pages()]


def test_latin_epub_holds_the_text_in_latin_letters(kk_work):
    data = Edition.objects.get(page_id=kk_work.pk, format="epub", script="latn").file.read()
    text = epub_text(data)

    assert "Ile öñırınıñ jūmysşylary ūiymdasty." in text
    assert "JİYN Şymkentte öttı." in text
    assert "Ещё bır söz." in text  # a Russian word stays as written
    assert "Käsıpodaqtar turaly" in text and "Abai Qūnanbaev" in text
    assert "<dc:language>kk-Latn</dc:language>" in text
    assert "Іле" not in text


def test_latin_view_of_the_work_page_offers_the_latin_editions(client, kk_work):
    html = client.get(latin(kk_work.url)).content.decode()
    assert f'href="{latin(kk_work.url)}download/epub/"' in html

    response = client.get(f"{latin(kk_work.url)}download/epub/")
    cyrillic = client.get(f"{kk_work.url}download/epub/")

    assert "Ile öñırınıñ" in epub_text(b"".join(response.streaming_content))
    assert "Іле өңірінің" in epub_text(b"".join(cyrillic.streaming_content))


def test_russian_work_has_no_latin_edition(library):
    work = library_factory.work(library=library)
    services.build_editions(work)

    assert set(Edition.objects.filter(page_id=work.pk).values_list("script", flat=True)) == {""}


@pytest.mark.skipif(
    not has_epubcheck,
    reason="epubcheck not installed (apt-get install epubcheck); .ci/run installs it",
)
def test_latin_epub_passes_epubcheck(kk_work, tmp_path):
    path = tmp_path / "latin.epub"
    path.write_bytes(
        Edition.objects.get(page_id=kk_work.pk, format="epub", script="latn").file.read()
    )

    result = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(path)], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    not shutil.which("pdftotext"),
    reason="pdftotext not installed (apt-get install poppler-utils); .ci/run installs it",
)
def test_latin_pdf_prints_the_latin_letters(kk_work, tmp_path):
    path = tmp_path / "latin.pdf"
    path.write_bytes(
        Edition.objects.get(page_id=kk_work.pk, format="pdf", script="latn").file.read()
    )

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert "Ile öñırınıñ jūmysşylary ūiymdasty." in text
    assert "JİYN Şymkentte öttı." in text
