"""The collected volume of an event's talks: built on publish, checked by real tools."""

import os
import shutil
import subprocess

import pytest

from iskra.events.models import EventPage, ProceedingsVolume, Talk
from iskra.events.services import build_proceedings

pytestmark = pytest.mark.django_db

EPUBCHECK_JAR = "/usr/share/java/epubcheck.jar"
needs_epubcheck = pytest.mark.skipif(
    not (shutil.which("java") and os.path.exists(EPUBCHECK_JAR)),
    reason="epubcheck not installed (apt-get install epubcheck); .ci/run installs it",
)
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"),
    reason="pdftotext not installed (apt-get install poppler-utils); .ci/run installs it",
)


@pytest.fixture
def conference(ru_home):
    return EventPage.objects.get(
        slug="conference-in-defence-of-the-ussr", locale__language_code="ru"
    )


@pytest.fixture
def kk_conference(kk_home):
    return EventPage.objects.get(
        slug="conference-in-defence-of-the-ussr", locale__language_code="kk"
    )


def test_demo_conference_offers_its_volume_with_sizes(client, conference):
    volume = conference.volume

    html = client.get(conference.url).content.decode()

    assert volume.status == "built" and volume.word_count > 200
    assert f'href="{volume.epub.url}"' in html and f'href="{volume.pdf.url}"' in html
    assert "КБ" in html  # sizes
    assert "Сборник докладов" in html


@needs_epubcheck
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_volume_epub_passes_epubcheck(conference, kk_conference, tmp_path, language):
    event = conference if language == "ru" else kk_conference
    path = tmp_path / "volume.epub"
    with event.volume.epub.open("rb") as handle:
        path.write_bytes(handle.read())

    result = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(path)], capture_output=True, text=True, timeout=180
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


@needs_pdftotext
def test_volume_pdf_holds_every_talk_title_and_kazakh_letters(kk_conference, tmp_path):
    path = tmp_path / "volume.pdf"
    with kk_conference.volume.pdf.open("rb") as handle:
        path.write_bytes(handle.read())

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    flat = " ".join(text.split())
    for talk in kk_conference.talks.all():
        assert " ".join(talk.title.split()) in flat
    assert all(letter in text for letter in "әғқңөұүі")
    assert "Айнұр Құрманов" in flat and "Алматы" in flat
    assert "Жаппай сауаттылыққа" in flat  # the Kazakh talk texts
    assert "Денис Әлімбеков" in flat  # the moderator on the title page


def test_unchanged_event_is_not_rebuilt_and_a_changed_one_is(conference, publish_page):
    before = conference.volume
    publish_page(conference)
    assert ProceedingsVolume.objects.get(pk=before.pk).built_at == before.built_at

    talk = conference.talks.first()
    talk.text = "<p>Новый текст доклада с дополнением.</p>"
    talk.save()
    publish_page(EventPage.objects.get(pk=conference.pk))

    after = ProceedingsVolume.objects.get(pk=before.pk)
    assert after.built_at > before.built_at
    assert after.epub.name != before.epub.name
    assert not before.epub.storage.exists(before.epub.name)  # the old file is gone


def test_event_without_talk_texts_offers_no_volume(client, conference):
    Talk.objects.filter(event=conference).update(text="")

    assert build_proceedings(conference) is None

    assert not ProceedingsVolume.objects.filter(event=conference).exists()
    assert "Сборник докладов" not in client.get(conference.url).content.decode()


def test_failed_build_keeps_the_previous_volume_and_reports_the_error(
    client, conference, settings, tmp_path, editor_client
):
    good = conference.volume
    talk = conference.talks.first()
    talk.text = "<p>Изменённый текст.</p>"
    talk.save()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    working = settings.STORAGES
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }

    volume = build_proceedings(conference)

    assert volume.status == "failed" and "Error" in volume.error
    assert volume.epub.name == good.epub.name and volume.pdf.name == good.pdf.name
    settings.STORAGES = working
    html = client.get(conference.url).content.decode()
    assert good.epub.url in html
    report = editor_client.get("/admin/events/volumes/").content.decode()
    assert volume.error.split(":")[0] in report


def test_editor_can_rebuild_from_the_admin(editor_client, conference):
    before = conference.volume.built_at

    response = editor_client.post(f"/admin/events/volumes/{conference.pk}/rebuild/")

    assert response.status_code == 302
    assert ProceedingsVolume.objects.get(event=conference).built_at > before
