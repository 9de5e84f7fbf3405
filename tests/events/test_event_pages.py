"""Event pages, the index, calendars and structured data, in both languages."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from iskra.events.models import EventIndexPage, EventKind, EventPage

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def ru_events(ru_home):
    return EventIndexPage.objects.child_of(ru_home).get()


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

    assert "Конференция «В защиту СССР»" in html
    assert "30 декабря 2022, 11:00" in html and "15:00" in html and "Asia/Almaty" in html
    assert "Алматы" in html and "Инициативная группа по созданию" in html
    assert "Денис Алимбеков" in html
    for speaker, title in [
        ("Айнур Курманов", "Как создавался Советский Союз и причины его разрушения"),
        ("Ольга Шин", "Казахстан в составе СССР, прогрессивное развитие"),
        ("Тимур Кибиров", "Использование опыта СССР для построения социализма в будущем"),
    ]:
        assert speaker in html and title in html
    assert "Усть-Каменогорск" in html and "Австрия" in html
    assert "Прошло" in html  # finished
    assert 'class="video__facade"' in html  # the recording
    assert "watch?v=ZQm5yBCQGmU&amp;t=2475s" in html and "смотреть с 41:15" in html
    assert "В Алматы прошла конференция «В защиту СССР»" in html  # the report article


def test_conference_page_in_kazakh(client, kk_conference):
    html = client.get(kk_conference.url).content.decode()

    assert "«КСРО-ны қорғау» конференциясы" in html
    assert "Кеңес Одағы қалай құрылды және оның ыдырау себептері" in html
    assert "Айнұр Құрманов" in html and "Денис Әлімбеков" in html
    assert "Баяндамалар" in html


def test_event_json_ld_describes_the_event(client, conference):
    (data,) = [
        d for d in json_ld(client.get(conference.url).content.decode()) if d.get("startDate")
    ]

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationEvent"
    # Almaty was UTC+6 until March 2024.
    assert data["startDate"] == "2022-12-30T11:00:00+06:00"
    assert data["endDate"] == "2022-12-30T15:00:00+06:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["address"]["addressLocality"] == "Алматы"
    assert virtual["@type"] == "VirtualLocation" and "youtube.com" in virtual["url"]
    assert [p["name"] for p in data["performer"]][:2] == ["Айнур Курманов", "Дмитрий Бурминский"]
    assert data["organizer"]["name"].startswith("Инициативная группа")


def test_event_ics_round_trips_every_field(client, conference):
    response = client.get(conference.url + "ics/")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in response.content
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["VERSION"]) == "2.0" and "Iskra" in str(calendar["PRODID"])
    assert str(event["UID"]) == f"event-{conference.pk}@testserver"
    assert event.decoded("DTSTART").isoformat() == "2022-12-30T05:00:00+00:00"
    assert event.decoded("DTEND").isoformat() == "2022-12-30T09:00:00+00:00"
    assert event.decoded("DTSTAMP") is not None
    assert str(event["SUMMARY"]) == "Конференция «В защиту СССР»"
    assert str(event["LOCATION"]) == "Алматы"
    assert str(event["URL"]) == "http://testserver" + conference.url
    description = str(event["DESCRIPTION"])
    assert "— Ольга Шин: Казахстан в составе СССР, прогрессивное развитие" in description
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["CATEGORIES"].cats == ["Конференция"]


def test_calendar_lists_upcoming_events_of_the_language(client, ru_events, kk_home):
    response = client.get(ru_events.url + "calendar/")

    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert "Круглый стол «Трудовые права шахтёров»" in summaries
    assert "Вебинар «Как читать „Капитал“»" in summaries
    assert "Конференция «В защиту СССР»" not in summaries  # long past
    assert not any("қорғау" in summary for summary in summaries)


def test_index_lists_upcoming_soonest_first_then_past_by_year(client, ru_events):
    html = client.get(ru_events.url).content.decode()

    round_table = html.index("Круглый стол «Трудовые права шахтёров»")
    webinar = html.index("Вебинар «Как читать „Капитал“»")
    year_2025 = html.index("Прошедшие мероприятия, 2025")
    year_2022 = html.index("Прошедшие мероприятия, 2022")
    assert round_table < webinar < year_2025 < html.index("Собрание сторонников") < year_2022
    assert html.index("Конференция «В защиту СССР»") > year_2022


@pytest.mark.parametrize(
    ("offset", "status_text", "shows_stream"),
    [(timedelta(hours=2), "Скоро", False), (timedelta(minutes=-30), "Идёт сейчас", True)],
)
def test_status_follows_the_clock(client, ru_events, offset, status_text, shows_stream):
    event = make_event(
        ru_events,
        start=timezone.now() + offset,
        format="online",
        stream_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )

    html = client.get(event.url).content.decode()

    assert status_text in html
    assert ('data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in html) is (
        shows_stream
    )


def test_map_link_is_a_plain_openstreetmap_search(client, ru_events):
    event = make_event(
        ru_events,
        start=timezone.now() + timedelta(days=3),
        city="Караганда",
        venue="Дом культуры горняков",
        address="пр. Бухар-Жырау, 1",
    )

    html = client.get(event.url).content.decode()

    assert "https://www.openstreetmap.org/search?query=" in html
    assert "<iframe" not in html


def test_person_page_lists_their_talks(client, ru_home):
    html = client.get("/ru/people/olga-shin/").content.decode()

    assert "Казахстан в составе СССР, прогрессивное развитие" in html
    assert "/ru/events/conference-in-defence-of-the-ussr/#talk-3" in html


def test_event_kinds_are_editable_snippets(editor_client):
    response = editor_client.get("/admin/snippets/events/eventkind/")

    assert response.status_code == 200
    assert "Круглый стол" in response.content.decode()
    assert EventKind.objects.count() >= 5
