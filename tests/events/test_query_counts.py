"""Query budgets of the event pages, with one and with many events (uncached)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from iskra.events.models import EventPage

pytestmark = pytest.mark.django_db

BUDGETS = {"index": 10, "event": 14}


@pytest.fixture
def ru_events(events_index):
    return events_index


@pytest.fixture
def many_events(ru_events):
    start = timezone.now() - timedelta(days=400)
    for number in range(40):
        when = start + timedelta(days=20 * number)
        event = EventPage(
            title=f"Событие {number}",
            slug=f"bulk-{number}",
            start=when,
            end=when + timedelta(hours=2),
            locale=ru_events.locale,
            city="Алматы",
        )
        ru_events.add_child(instance=event)
        event.save_revision().publish()


def _count(client, url, django_assert_max_num_queries, budget):
    client.get(url)
    cache.clear()
    client.get("/ru/about/")
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_index_budget_with_a_few_events(client, ru_events, django_assert_max_num_queries):
    _count(client, ru_events.url, django_assert_max_num_queries, BUDGETS["index"])


def test_index_budget_with_many_events(
    client, ru_events, many_events, django_assert_max_num_queries
):
    response = _count(client, ru_events.url, django_assert_max_num_queries, BUDGETS["index"])
    assert "Событие 39" in response.content.decode()


def test_event_budget(client, conference, django_assert_max_num_queries):
    _count(client, conference.url, django_assert_max_num_queries, BUDGETS["event"])
