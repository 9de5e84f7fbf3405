"""The edition pipeline: an event's collected volume and a work's editions, built, kept
when a build fails, rebuilt when their inputs change, reported with Rebuild."""

import os
import shutil
import subprocess

import pytest

from iskra.events.models import EventPage, Talk
from iskra.publishing import services
from iskra.publishing.models import Edition, EditionStatus
from tests.factories import events as event_factory

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
TALKS = [
    ("Ерлан Жұмабаев", "Кәсіподақтар және жалақы", "<p>Шахтерлердің жалақысы туралы баяндама.</p>"),
    ("Гүлнар Әбенова", "Әйелдер еңбегі", "<p>Тоқыма фабрикасындағы әйелдер еңбегі.</p>"),
]


@pytest.fixture
def publish(publish_page):
    return publish_page


@pytest.fixture
def event(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return event_factory.event(
            language="kk", title="Қарағанды пленумы", talks=TALKS, city="Қарағанды"
        )


def editions(page, script=""):
    return {e.format: e for e in Edition.objects.filter(page_id=page.pk, script=script)}


def test_publishing_an_event_builds_its_volume_offered_on_the_page(client, event):
    built = editions(event)

    html = client.get(event.url).content.decode()

    assert {f: e.status for f, e in built.items()} == {"epub": "built", "pdf": "built"}
    assert built["epub"].word_count == 8  # the two talk texts
    assert f'href="{built["epub"].file.url}"' in html and f'href="{built["pdf"].file.url}"' in html
    assert "Баяндамалар жинағы" in html


@needs_epubcheck
def test_volume_epub_passes_epubcheck(event, tmp_path):
    path = tmp_path / "volume.epub"
    path.write_bytes(editions(event)["epub"].file.read())

    result = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(path)], capture_output=True, text=True, timeout=180
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors or warnings detected" in result.stdout + result.stderr


@needs_pdftotext
def test_volume_pdf_holds_every_talk_speaker_and_kazakh_letters(event, tmp_path):
    path = tmp_path / "volume.pdf"
    path.write_bytes(editions(event)["pdf"].file.read())

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    flat = " ".join(text.split())
    for speaker, title, _text in TALKS:
        assert speaker in flat and title in flat
    assert "Шахтерлердің жалақысы туралы баяндама." in flat
    assert "Қарағанды" in flat  # the city on the title page


def test_unchanged_event_is_not_rebuilt_and_a_changed_one_is(
    event, publish, django_capture_on_commit_callbacks
):
    before = editions(event)
    publish(event)
    assert editions(event)["epub"].built_at == before["epub"].built_at

    Talk.objects.filter(event=event).update(text="<p>Жаңа мәтін.</p>")
    publish(EventPage.objects.get(pk=event.pk))

    after = editions(event)
    assert after["epub"].built_at > before["epub"].built_at
    assert after["epub"].file.name != before["epub"].file.name
    assert not before["epub"].file.storage.exists(before["epub"].file.name)  # the old file


def test_event_without_talk_texts_has_no_editions(
    client, event, django_capture_on_commit_callbacks
):
    Talk.objects.filter(event=event).update(text="")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.build_editions(event) == []

    assert not Edition.objects.filter(page_id=event.pk).exists()
    assert "Баяндамалар жинағы" not in client.get(event.url).content.decode()


def test_failed_build_keeps_the_previous_file_and_reports_the_error(
    client, event, monkeypatch, editor_client
):
    good = editions(event)
    Talk.objects.filter(event=event).update(text="<p>Өзгерген мәтін.</p>")

    def broken(document):
        raise RuntimeError("the printer is out of paper")

    monkeypatch.setitem(services.BUILDERS, "pdf", broken)
    built = {e.format: e for e in services.build_editions(event) if not e.script}

    assert built["pdf"].status == EditionStatus.FAILED
    assert "out of paper" in built["pdf"].error
    assert built["pdf"].file.name == good["pdf"].file.name  # the last good PDF stays
    assert built["epub"].status == EditionStatus.BUILT
    html = client.get(event.url).content.decode()
    assert good["pdf"].file.url in html
    report = editor_client.get("/admin/publishing/editions/").content.decode()
    assert "RuntimeError: the printer is out of paper" in report
    assert event.title in report
    # Not tried again every minute with the same inputs.
    assert event.pk not in [page.pk for page in services.stale_pages()]


def test_editor_can_rebuild_from_the_report(editor_client, event):
    before = editions(event)["epub"].built_at

    response = editor_client.post(f"/admin/publishing/editions/{event.pk}/rebuild/")

    assert response.status_code == 302
    assert editions(event)["epub"].built_at > before


def test_a_user_without_admin_access_cannot_rebuild(client, event, django_user_model):
    before = editions(event)["epub"].attempted_at
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))

    response = client.post(f"/admin/publishing/editions/{event.pk}/rebuild/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert editions(event)["epub"].attempted_at == before
