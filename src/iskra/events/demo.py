"""The events part of the demo site: the reference conference and a few more events."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from iskra.news.models import ArticlePage

from .demo_texts import CONFERENCE_EVENT, OTHER_EVENTS, TALKS_KK
from .models import AudiencePlace, EventIndexPage, EventKind, EventPage, Talk

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
INDEX = {
    "ru": ("Мероприятия", "Конференции, собрания и встречи."),
    "kk": ("Іс-шаралар", "Конференциялар, жиналыстар мен кездесулер."),
}


CITIES_KK = {"Караганда": "Қарағанды", "Шымкент": "Шымкент", "Алматы": "Алматы"}


def _at(value):
    return dt.datetime.fromisoformat(value).replace(tzinfo=ALMATY)


def _duration(value):
    hours, minutes, seconds = (int(part) for part in value.split(":"))
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _paragraphs(texts):
    return "".join(f"<p>{text}</p>" for text in texts)


def _publish(page):
    page.save_revision().publish()
    return page


def _indexes(context):
    ru_title, ru_intro = INDEX["ru"]
    ru = context.homes["ru"].add_child(
        instance=EventIndexPage(
            title=ru_title,
            slug="events",
            intro=ru_intro,
            show_in_menus=True,
            locale=context.homes["ru"].locale,
        )
    )
    _publish(ru)
    kk = ru.copy_for_translation(context.homes["kk"].locale)
    kk.title, kk.intro = INDEX["kk"]
    _publish(kk)
    return {"ru": ru, "kk": kk}


def _conference(indexes, people, video_url):
    data = CONFERENCE_EVENT
    kind = EventKind.objects.get(name_ru="Конференция")
    event = EventPage(
        title=data["title"]["ru"],
        slug=data["slug"],
        locale=indexes["ru"].locale,
        kind=kind,
        start=_at(data["start"]),
        end=_at(data["end"]),
        format="hybrid",
        city=data["city"]["ru"],
        organizer=data["organizer"]["ru"],
        moderator=people["denis-alimbekov"]["ru"],
        lead=data["lead"]["ru"],
        recording_url=video_url,
        recording_length=_duration(data["recording_length"]),
    )
    event.talks = [
        Talk(
            speaker=people[slug]["ru"],
            title=title,
            abstract=abstract,
            text=_paragraphs(text),
            start_offset=_duration(offset),
            sort_order=order,
        )
        for order, (slug, offset, title, _kk, abstract, text) in enumerate(data["talks"])
    ]
    event.audience_places = [
        AudiencePlace(name=name, is_abroad=abroad, sort_order=order)
        for order, (name, abroad) in enumerate(data["places"])
    ]
    indexes["ru"].add_child(instance=event)
    _publish(event)
    kk = event.copy_for_translation(indexes["kk"].locale)
    kk.title, kk.lead, kk.city = data["title"]["kk"], data["lead"]["kk"], data["city"]["kk"]
    kk.organizer, kk.moderator = data["organizer"]["kk"], people["denis-alimbekov"]["kk"]
    kk.talks = [
        Talk(
            speaker=people[slug]["kk"],
            title=title_kk,
            abstract=abstract_kk,
            text=_paragraphs(text_kk),
            start_offset=talk.start_offset,
            sort_order=talk.sort_order,
        )
        for talk, (slug, _offset, _ru, title_kk, _abstract, _text), (abstract_kk, text_kk) in zip(
            event.talks.all(), data["talks"], TALKS_KK, strict=True
        )
    ]
    kk.audience_places = [
        AudiencePlace(name=place.name, is_abroad=place.is_abroad, sort_order=place.sort_order)
        for place in event.audience_places.all()
    ]
    _publish(kk)
    return {"ru": event, "kk": kk}


def _other_events(indexes):
    now = timezone.localtime(timezone.now(), ALMATY).replace(minute=0, second=0, microsecond=0)
    for (
        slug,
        kind_name,
        when,
        hours,
        city,
        format_,
        title_ru,
        title_kk,
        lead_ru,
        lead_kk,
    ) in OTHER_EVENTS:
        if isinstance(when, int):
            start = (now + dt.timedelta(days=when)).replace(hour=18)
        else:
            start = _at(when)
        event = EventPage(
            title=title_ru,
            slug=slug,
            locale=indexes["ru"].locale,
            kind=EventKind.objects.get(name_ru=kind_name),
            start=start,
            end=start + dt.timedelta(hours=hours),
            format=format_,
            city=city,
            lead=lead_ru,
            organizer="Инициативная группа СПК",
        )
        indexes["ru"].add_child(instance=event)
        _publish(event)
        kk = event.copy_for_translation(indexes["kk"].locale)
        kk.title, kk.lead, kk.city = title_kk, lead_kk, CITIES_KK.get(city, city)
        kk.organizer = "ҚСП бастамашыл тобы"
        _publish(kk)


def load(context):
    """Add the event index, the reference conference and three more events per language."""
    indexes = _indexes(context)
    articles = {
        language: ArticlePage.objects.filter(
            slug=CONFERENCE_EVENT["slug"], locale__language_code=language
        ).first()
        for language in ("ru", "kk")
    }
    video_url = ""
    for block in articles["ru"].body if articles["ru"] else []:
        if block.block_type == "video":
            video_url = block.value["url"]
    conference = _conference(indexes, context.people, video_url)
    for language, article in articles.items():
        if article is not None:
            article.event = conference[language]
            _publish(article)
    _other_events(indexes)
    context.log.append("Events: the conference with its talks, and three more events per language.")
