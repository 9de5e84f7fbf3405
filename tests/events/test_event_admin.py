"""Editors get clear messages for impossible events, and nothing is saved half-way."""

from datetime import timedelta

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from iskra.core.models import Person
from iskra.events.models import EventPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(conference):
    return conference


def talk_form(talk=None, **changes):
    values = {
        "speaker": talk.speaker_id if talk else "",
        "title": talk.title if talk else "",
        "abstract": talk.abstract if talk else "",
        "start_offset": str(talk.start_offset) if talk and talk.start_offset else "",
        "article": "",
        "text": '{"blocks": [], "entityMap": {}}',
    }
    if talk:
        values["id"] = talk.pk
    values.update(changes)
    return values


def edit_data(event, *, talks=None, **changes):
    talk_forms = talks if talks is not None else [talk_form(t) for t in event.talks.all()]
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind_id,
        "start": event.local_start.strftime("%Y-%m-%d %H:%M"),
        "end": event.local_end.strftime("%Y-%m-%d %H:%M"),
        "time_zone": event.time_zone,
        "format": event.format,
        "city": event.city,
        "venue": event.venue,
        "address": event.address,
        "organizer": event.organizer,
        "moderator": event.moderator_id or "",
        "lead": event.lead,
        "talks": inline_formset(talk_forms, initial=event.talks.count()),
        "stream_url": event.stream_url,
        "recording_url": event.recording_url,
        "recording_length": str(event.recording_length or ""),
        "audience_places": inline_formset(
            [
                {"id": p.pk, "name": p.name, "is_abroad": p.is_abroad}
                for p in event.audience_places.all()
            ],
            initial=event.audience_places.count(),
        ),
        "description": streamfield([]),
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data(data)


def post(client, event, data):
    return client.post(f"/admin/pages/{event.pk}/edit/", data)


def test_valid_edit_is_published(editor_client, event):
    response = post(editor_client, event, edit_data(event, lead="Обновлённый лид."))

    assert response.status_code == 302
    assert EventPage.objects.get(pk=event.pk).lead == "Обновлённый лид."


def test_end_before_start_is_refused(editor_client, event):
    start = event.local_start
    data = edit_data(event, end=(start - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"))

    html = post(editor_client, event, data).content.decode()

    assert "Мероприятие не может закончиться раньше, чем начнётся." in html
    assert EventPage.objects.get(pk=event.pk).end == event.end


@pytest.mark.parametrize("missing", ["speaker", "title"])
def test_talk_without_speaker_or_title_is_refused(editor_client, event, missing):
    talks = [talk_form(t) for t in event.talks.all()]
    new = talk_form(speaker=Person.objects.filter(locale=event.locale).first().pk, title="Новый")
    new[missing] = ""

    response = post(editor_client, event, edit_data(event, talks=[*talks, new]))

    assert response.status_code == 200
    assert "Требуется заполнить это поле." in response.content.decode()
    assert event.talks.count() == 3
    assert EventPage.objects.get(pk=event.pk).live_revision_id == event.live_revision_id


def test_talk_offset_beyond_the_recording_is_refused(editor_client, event):
    talks = [talk_form(t) for t in event.talks.all()]
    talks[-1]["start_offset"] = "4:10:00"

    html = post(editor_client, event, edit_data(event, talks=talks)).content.decode()

    assert "Это время позже конца записи (4:00:00)" in html
    assert event.talks.order_by("-sort_order").first().start_offset == timedelta(
        hours=1, minutes=27, seconds=30
    )


def test_stream_link_that_is_not_a_video_is_refused(editor_client, event):
    data = edit_data(event, stream_url="https://example.org/not-a-video")

    html = post(editor_client, event, data).content.decode()

    assert "Вставьте ссылку на видео YouTube, VK Видео или Rutube." in html
    assert EventPage.objects.get(pk=event.pk).stream_url == ""


@pytest.fixture
def oembed(settings):
    """A local stand-in for YouTube's oEmbed endpoint: one public video, one private."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    known = {"dQw4w9WgXcQ": 200, "ZQm5yBCQGmU": 200, "aaaaaaaaaaa": 401}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (the standard library's name)
            video = parse_qs(urlsplit(self.path).query)["url"][0]
            status = next((code for vid, code in known.items() if vid in video), 404)
            body = (
                json.dumps({"type": "video", "title": "Видео"}).encode()
                if status == 200
                else b"Not Found"
            )
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings.VIDEO_CHECK_LINKS = True
    settings.VIDEO_OEMBED_URLS = {"youtube": f"http://127.0.0.1:{server.server_port}/oembed"}
    yield
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("video_id", ["bbbbbbbbbbb", "aaaaaaaaaaa"])
def test_stream_link_to_a_missing_or_private_video_is_refused(
    editor_client, event, oembed, video_id
):
    data = edit_data(event, stream_url=f"https://www.youtube.com/watch?v={video_id}")

    html = post(editor_client, event, data).content.decode()

    assert "Это видео нельзя воспроизвести" in html
    assert EventPage.objects.get(pk=event.pk).stream_url == ""


def test_stream_link_to_an_available_video_is_saved(editor_client, event, oembed):
    data = edit_data(event, stream_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")

    assert post(editor_client, event, data).status_code == 302
    assert EventPage.objects.get(pk=event.pk).stream_url.endswith("dQw4w9WgXcQ")


def test_unreachable_provider_does_not_block_saving(editor_client, event, settings):
    settings.VIDEO_CHECK_LINKS = True
    settings.VIDEO_OEMBED_URLS = {"youtube": "http://127.0.0.1:9/oembed"}
    data = edit_data(event, stream_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")

    assert post(editor_client, event, data).status_code == 302
