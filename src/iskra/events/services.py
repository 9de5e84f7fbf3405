"""Events as calendars (RFC 5545, via icalendar) and as schema.org structured data."""

import contextlib
import hashlib
import json
import logging
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import EventFormat, EventStatus

logger = logging.getLogger(__name__)

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


def proceedings_document(event, *, url):
    """Return the collected volume of ``event``'s talk texts, or None when none has text."""
    from iskra.core.models import SiteSettings
    from iskra.publishing.document import Chapter, Document, text_of

    talks = [t for t in event.talks.select_related("speaker") if text_of(t.text).strip()]
    if not talks:
        return None
    language = event.locale.language_code
    site = event.get_site()
    options = SiteSettings.for_site(site) if site else None
    with translation.override(language):
        start = timezone.localtime(event.start, event.zone)
        facts = [(_("Date"), formats.date_format(start, "DATE_FORMAT"))]
        if event.city:
            facts.append((_("City"), event.city))
        if event.organizer:
            facts.append((_("Organizer"), event.organizer))
        if event.moderator_id:
            facts.append((_("Moderator"), event.moderator.name))
        notice = getattr(options, f"reprint_notice_{language}", "") if options else ""
        colophon = [text for text in (notice, url) if text]
        colophon.append(
            _("Built by Iskra on %(date)s.")
            % {"date": formats.date_format(timezone.localdate(), "DATE_FORMAT")}
        )
        return Document(
            title=event.title,
            subtitle=_("Collected talks"),
            language=language,
            identifier=f"{url}#volume",
            authors=list(dict.fromkeys(t.speaker.name for t in talks)),
            publisher=event.organizer,
            date=start.date(),
            title_page=facts,
            chapters=[
                Chapter(title=talk.title, byline=talk.speaker.name, body_html=talk.text)
                for talk in talks
            ],
            colophon=colophon,
            colophon_title=_("About this volume"),
            contents_title=_("Contents"),
            url=url,
        )


def _digest(document):
    raw = json.dumps(
        [
            document.title,
            document.language,
            document.title_page,
            document.colophon[:-1],
            [(c.title, c.byline, c.body_html) for c in document.chapters],
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def build_proceedings(event, *, force=False):
    """Build (or remove) the event's collected volume; return the volume or None.

    Without any talk text there is no volume (and an old one is removed). A build whose
    sources did not change is skipped unless ``force``. A failed build keeps the
    previous files online and records the error for editors. Writes files to the
    default storage, then the volume row.
    """
    from iskra.publishing.epub import build_epub
    from iskra.publishing.pdf import build_pdf

    from .models import ProceedingsVolume, VolumeStatus

    url = event.get_full_url()
    document = proceedings_document(event, url=url)
    volume = ProceedingsVolume.objects.filter(event=event).first()
    if document is None:
        if volume is not None:
            _delete_files(volume.epub, volume.pdf)
            volume.delete()
        return None
    digest = _digest(document)
    if volume is None:
        volume = ProceedingsVolume.objects.create(event=event, status=VolumeStatus.BUILDING)
    elif volume.source_digest == digest and volume.is_available and not force:
        return volume
    volume.attempted_at = timezone.now()
    old = [file.name for file in (volume.epub, volume.pdf) if file]
    try:
        epub = build_epub(document)
        pdf = build_pdf(document)
        name = f"{event.slug}-{document.language}-{digest[:10]}"
        volume.epub.save(f"{name}.epub", ContentFile(epub), save=False)
        volume.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    except Exception as error:  # any failure keeps the previous volume online
        logger.exception("Building the volume of event %s failed", event.pk)
        _delete_files(*(f for f in (volume.epub, volume.pdf) if f and f.name not in old))
        volume.refresh_from_db(fields=["epub", "pdf"])
        volume.status, volume.error = VolumeStatus.FAILED, f"{type(error).__name__}: {error}"
        volume.save(update_fields=["status", "error", "attempted_at", "epub", "pdf"])
        return volume
    for name in old:
        if name not in (volume.epub.name, volume.pdf.name):
            _delete_names(volume.epub.storage, name)
    volume.status, volume.error, volume.source_digest = VolumeStatus.BUILT, "", digest
    volume.epub_size, volume.pdf_size = len(epub), len(pdf)
    volume.word_count, volume.built_at = document.word_count, timezone.now()
    volume.save()
    return volume


def _delete_files(*files):
    for file in files:
        if file:
            _delete_names(file.storage, file.name)


def _delete_names(storage, name):
    with contextlib.suppress(OSError):  # a file already gone, or storage unreachable
        storage.delete(name)
