"""Events built from factories: a finished conference in both languages, and an index
with upcoming and past events."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import events as factory


@pytest.fixture(scope="module")
def conference(module_db):
    return factory.conference()


@pytest.fixture(scope="module")
def kk_conference(conference):
    return factory.conference("kk", translation_of=conference)


@pytest.fixture(scope="module")
def events_index(module_db):
    """An index with two upcoming events, one of 2025 and the 2023 conference."""
    index = factory.event_index()
    now = timezone.now()
    factory.event(index=index, title="Круглый стол о шахтёрах", start=now + datetime.timedelta(3))
    factory.event(index=index, title="Вебинар о «Капитале»", start=now + datetime.timedelta(10))
    factory.event(
        index=index,
        title="Собрание сторонников",
        start=datetime.datetime(2025, 5, 1, 12, tzinfo=datetime.UTC),
    )
    conference = factory.conference()
    conference.move(index, pos="last-child")
    return index
