"""Event pages, the index, calendars and structured data, in both languages."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from iskra.events.models import EventKind, EventPage
from tests.factories import events as factory

pytestmark = pytest.mark.django_db


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def make_event(index, *, start, hours=2, **fields):
    event = EventPage(
        title=fields.pop("title", "Тестовое собрание"),
        slug=fields.pop("slug", f"event-{start:%Y%m%d%H%M%S}"),
        start=start,
        end=start + timedelta(hours=hours),
        locale=index.locale,
        **fields,
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return event


def test_conference_page_shows_every_fact(client, conference):
    html = client.get(conference.url).content.decode()

    assert "Конференция «Рабочий Казахстан»" in html
    assert "16 декабря 2023, 11:00" in html and "15:00" in html and "Asia/Almaty" in html
    assert "Караганда" in html and "Союз рабочих Казахстана" in html
    assert "Марат Исаев" in html
    for speaker, title, _text in factory.CONFERENCE_TEXTS["ru"]["talks"]:
        assert speaker in html and title in html
    assert "Усть-Каменогорск" in html and "Австрия" in html
    assert "Прошло" in html  # finished
    assert 'class="video__facade"' in html  # the recording
    assert "watch?v=ZQm5yBCQGmU&amp;t=2775s" in html and "смотреть с 46:15" in html
    assert "На конференции «Рабочий Казахстан» выступили шахтёры" in html  # the report


def test_conference_page_in_kazakh(client, kk_conference):
    html = client.get(kk_conference.url).content.decode()

    assert "«Жұмысшы Қазақстан» конференциясы" in html
    assert "Кеншілер және жалақы" in html
    assert "Айгүл Нұрланова" in html and "Марат Исаев" in html
    assert "Баяндамалар" in html


def test_event_json_ld_describes_the_event(client, conference):
    (data,) = [
        d for d in json_ld(client.get(conference.url).content.decode()) if d.get("startDate")
    ]

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationEvent"
    # Almaty was UTC+6 until March 2024.
    assert data["startDate"] == "2023-12-16T11:00:00+06:00"
    assert data["endDate"] == "2023-12-16T15:00:00+06:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Караганда"
    assert virtual["@type"] == "VirtualLocation" and "youtube.com" in virtual["url"]
    assert [p["name"] for p in data["performer"]] == [
        "Айгуль Нурланова",
        "Сергей Ким",
        "Динара Омарова",
    ]
    assert data["organizer"]["name"] == "Союз рабочих Казахстана"


def test_event_ics_round_trips_every_field(client, conference):
    response = client.get(conference.url + "ics/")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in response.content
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["VERSION"]) == "2.0" and "Iskra" in str(calendar["PRODID"])
    assert str(event["UID"]) == f"event-{conference.pk}@testserver"
    assert event.decoded("DTSTART").isoformat() == "2023-12-16T05:00:00+00:00"
    assert event.decoded("DTEND").isoformat() == "2023-12-16T09:00:00+00:00"
    assert event.decoded("DTSTAMP") is not None
    assert str(event["SUMMARY"]) == "Конференция «Рабочий Казахстан»"
    assert str(event["LOCATION"]) == "Караганда"
    assert str(event["URL"]) == "http://testserver" + conference.url
    description = str(event["DESCRIPTION"])
    assert "— Сергей Ким: Профсоюзы металлургов" in description
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["CATEGORIES"].cats == ["Конференция"]


def test_calendar_lists_upcoming_events_of_the_language(client, events_index):
    response = client.get(events_index.url + "calendar/")

    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert summaries == ["Круглый стол о шахтёрах", "Вебинар о «Капитале»"]


def test_index_lists_upcoming_soonest_first_then_past_by_year(client, events_index):
    html = client.get(events_index.url).content.decode()

    round_table = html.index("Круглый стол о шахтёрах")
    webinar = html.index("Вебинар о «Капитале»")
    year_2025 = html.index("Прошедшие мероприятия, 2025")
    year_2023 = html.index("Прошедшие мероприятия, 2023")
    assert round_table < webinar < year_2025 < html.index("Собрание сторонников") < year_2023
    assert html.index("Конференция «Рабочий Казахстан»") > year_2023


@pytest.mark.parametrize(
    ("offset", "status_text", "shows_stream"),
    [(timedelta(hours=2), "Скоро", False), (timedelta(minutes=-30), "Идёт сейчас", True)],
)
def test_status_follows_the_clock(client, events_index, offset, status_text, shows_stream):
    event = make_event(
        events_index,
        start=timezone.now() + offset,
        format="online",
        stream_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )

    html = client.get(event.url).content.decode()

    assert status_text in html
    assert ('data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in html) is (
        shows_stream
    )


def test_map_link_is_a_plain_openstreetmap_search(client, events_index):
    event = make_event(
        events_index,
        start=timezone.now() + timedelta(days=3),
        city="Караганда",
        venue="Дом культуры горняков",
        address="пр. Бухар-Жырау, 1",
    )

    html = client.get(event.url).content.decode()

    assert "https://www.openstreetmap.org/search?query=" in html
    assert "<iframe" not in html


def test_person_page_lists_their_talks(client, conference):
    speaker = conference.talks.get(title="Профсоюзы металлургов").speaker

    html = client.get(speaker.get_url()).content.decode()

    assert "Профсоюзы металлургов" in html
    assert f"{conference.url}#talk-2" in html


def test_event_kinds_are_editable_snippets(editor_client):
    response = editor_client.get("/admin/snippets/events/eventkind/")

    assert response.status_code == 200
    assert "Круглый стол" in response.content.decode()  # a kind the migrations create
    assert EventKind.objects.count() >= 5
