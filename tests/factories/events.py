"""Factories for events: an event index and events with talks."""

import datetime
import zoneinfo

from django.utils import timezone

from iskra.events.models import AudiencePlace, EventIndexPage, EventKind, EventPage, Talk

from . import core


def event_index(language="ru"):
    parent = core.home(language)
    index = EventIndexPage(title="События", slug=core.unique("events"))
    parent.add_child(instance=index)
    return core.publish(index)


def event(*, index=None, language="ru", title="Пленум о задачах профсоюзов", talks=(), **fields):
    """Create and publish an event under ``index``; ``talks`` are (speaker name, title,
    text HTML) triples."""
    index = index or event_index(language)
    start = fields.pop("start", timezone.now() - datetime.timedelta(days=3))
    page = EventPage(
        title=title,
        slug=core.unique("event"),
        start=start,
        end=start + datetime.timedelta(hours=3),
        city=fields.pop("city", "Караганда"),
        is_crossposted=False,
        **fields,
    )
    index.add_child(instance=page)
    for number, (speaker, talk_title, text) in enumerate(talks):
        Talk.objects.create(
            event=page,
            speaker=core.person(speaker, language),
            title=talk_title,
            text=text,
            sort_order=number,
        )
    return core.publish(EventPage.objects.get(pk=page.pk))


CONFERENCE_RECORDING = "https://www.youtube.com/watch?v=ZQm5yBCQGmU"
CONFERENCE_TEXTS = {
    "ru": {
        "index": "События",
        "title": "Конференция «Рабочий Казахстан»",
        "lead": "Участники обсудили итоги года и задачи профсоюзов.",
        "city": "Караганда",
        "organizer": "Союз рабочих Казахстана",
        "moderator": "Марат Исаев",
        "talks": [
            ("Айгуль Нурланова", "Шахтёры и зарплата", "<p>Зарплаты горняков отстают.</p>"),
            ("Сергей Ким", "Профсоюзы металлургов", "<p>Металлурги создают союзы.</p>"),
            ("Динара Омарова", "Учителя и реформа", "<p>Учителя против реформы.</p>"),
        ],
        "places": [("Усть-Каменогорск", False), ("Австрия", True)],
        "report": "На конференции «Рабочий Казахстан» выступили шахтёры",
    },
    "kk": {
        "index": "Іс-шаралар",
        "title": "«Жұмысшы Қазақстан» конференциясы",
        "lead": "Қатысушылар жыл қорытындысын және кәсіподақтар міндеттерін талқылады.",
        "city": "Қарағанды",
        "organizer": "Қазақстан жұмысшылар одағы",
        "moderator": "Марат Исаев",
        "talks": [
            ("Айгүл Нұрланова", "Кеншілер және жалақы", "<p>Кеншілер жалақысы төмен.</p>"),
            ("Сергей Ким", "Металлургтер кәсіподақтары", "<p>Металлургтер одақ құрады.</p>"),
            ("Динара Омарова", "Мұғалімдер және реформа", "<p>Мұғалімдер реформаға қарсы.</p>"),
        ],
        "places": [("Өскемен", False), ("Австрия", True)],
        "report": "«Жұмысшы Қазақстан» конференциясында кеншілер сөйледі",
    },
}


def conference(language="ru", translation_of=None):
    """A finished hybrid conference with kind, moderator, three talks at marked moments of
    its recording, the places its audience joined from, and a report article; in Kazakh
    the translation of ``translation_of``."""
    from . import news

    texts = CONFERENCE_TEXTS[language]
    kind, _created = EventKind.objects.get_or_create(
        name_ru="Конференция", defaults={"name_kk": "Конференция", "schema_type": "EducationEvent"}
    )
    zone = zoneinfo.ZoneInfo("Asia/Almaty")
    fields = {
        "title": texts["title"],
        "lead": texts["lead"],
        "kind": kind,
        "start": datetime.datetime(2023, 12, 16, 11, 0, tzinfo=zone),
        "end": datetime.datetime(2023, 12, 16, 15, 0, tzinfo=zone),
        "time_zone": "Asia/Almaty",
        "format": "hybrid",
        "city": texts["city"],
        "organizer": texts["organizer"],
        "moderator": core.person(texts["moderator"], language),
        "recording_url": CONFERENCE_RECORDING,
        "recording_length": datetime.timedelta(hours=4),
        "is_crossposted": False,
    }
    if translation_of is None:
        page = EventPage(slug=core.unique("conference"), **fields)
        event_index(language).add_child(instance=page)
    else:
        index = translation_of.get_parent().specific.copy_for_translation(
            core.home(language).locale
        )
        index.title = texts["index"]
        core.publish(index)
        page = translation_of.copy_for_translation(core.home(language).locale)
        for name, value in fields.items():
            setattr(page, name, value)
        page.save()
        page.talks.all().delete()
        page.audience_places.all().delete()
    for number, (speaker, title, text) in enumerate(texts["talks"]):
        Talk.objects.create(
            event=page,
            speaker=core.person(speaker, language),
            title=title,
            text=text,
            start_offset=datetime.timedelta(minutes=5 + number * 41, seconds=15 * number),
            sort_order=number,
        )
    for number, (name, is_abroad) in enumerate(texts["places"]):
        AudiencePlace.objects.create(event=page, name=name, is_abroad=is_abroad, sort_order=number)
    core.publish(EventPage.objects.get(pk=page.pk))
    news.article(section=news.section(language), title=texts["report"], event=page)
    return EventPage.objects.get(pk=page.pk)
