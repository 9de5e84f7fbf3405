"""Factories for events: an event index and events with talks."""

import datetime

from django.utils import timezone

from iskra.events.models import EventIndexPage, EventPage, Talk

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
