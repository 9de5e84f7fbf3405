"""Events as calendars (RFC 5545, via icalendar) and as schema.org structured data."""

from urllib.parse import urlsplit

from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .choices import EventFormat, EventStatus

ATTENDANCE_MODES = {
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else ""


def location_text(event):
    return ", ".join(part for part in (event.venue, event.address, event.city) if part)


def _description(event, url):
    lines = [event.lead] if event.lead else []
    talks = list(event.talks.select_related("speaker"))
    if talks:
        lines.append("")
        lines += [f"— {talk.speaker.name}: {talk.title}" for talk in talks]
    watch = event.stream_url or event.recording_url
    if watch:
        lines += ["", watch]
    lines += ["", url]
    return "\n".join(lines).strip()


def calendar_ics(events, *, request, name):
    """Return an iCalendar (RFC 5545) document of ``events`` as bytes."""
    host = urlsplit(request.build_absolute_uri("/")).hostname or "iskra"
    calendar = Calendar()
    calendar.add("prodid", "-//Iskra//Events//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for event in events:
        url = _absolute(request, event.get_url(request))
        entry = Event()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", now)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end)
        entry.add("summary", event.title)
        entry.add("description", _description(event, url))
        with translation.override(event.locale.language_code):
            location = location_text(event) or (_("Online") if event.is_online else "")
        if location:
            entry.add("location", location)
        entry.add("url", url)
        if event.last_published_at:
            entry.add("last-modified", event.last_published_at)
        if event.kind_id:
            entry.add("categories", [event.kind.label(event.locale.language_code)])
        entry.add("status", "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()


def event_json_ld(event, *, request, talks, image_url=""):
    """Return the schema.org Event description of ``event``."""
    url = _absolute(request, event.get_url(request))
    language = translation.get_language()
    locations = []
    if event.format != EventFormat.ONLINE and (event.venue or event.city):
        locations.append(
            {
                "@type": "Place",
                "name": event.venue or event.city,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.address,
                    "addressLocality": event.city,
                },
            }
        )
    if event.is_online:
        watch = event.stream_url if event.status() != EventStatus.FINISHED else ""
        locations.append(
            {
                "@type": "VirtualLocation",
                "url": watch or event.recording_url or event.stream_url or url,
            }
        )
    data = {
        "@context": "https://schema.org",
        "@type": (event.kind.schema_type if event.kind_id else "") or "Event",
        "name": event.title,
        "description": event.lead or strip_tags(event.search_description or ""),
        "url": url,
        "inLanguage": language,
        "startDate": event.local_start.isoformat(),
        "endDate": event.local_end.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES.get(event.format, ATTENDANCE_MODES["in_person"]),
        "location": locations if len(locations) != 1 else locations[0],
    }
    if event.organizer:
        data["organizer"] = {"@type": "Organization", "name": event.organizer}
    performers = []
    for talk in talks:
        person = {"@type": "Person", "name": talk.speaker.name}
        person_url = getattr(talk, "speaker_url", None) or talk.speaker.get_url()
        if person_url:
            person["url"] = _absolute(request, person_url)
        if person not in performers:
            performers.append(person)
    if performers:
        data["performer"] = performers
    if image_url:
        data["image"] = image_url
    return data
