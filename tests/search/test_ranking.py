"""Ranking through the service API: small result sets ranked whole, large ones in bands."""

import datetime

import pytest

from iskra.core.contracts import SearchDocument as Document
from iskra.search.backends import sqlite
from iskra.search.indexing import index_documents
from iskra.search.services import Filters, parse_query, search

pytestmark = pytest.mark.django_db

BASE = 9_000_000


def index(*items):
    """Index (title, body) pairs as articles dated one day apart, newest last."""
    start = datetime.date(2026, 1, 1)
    index_documents(
        Document(
            kind="article",
            object_id=BASE + number,
            page_id=BASE + number,
            language="ru",
            title=title,
            body=body,
            date=start + datetime.timedelta(days=number),
            section_id=BASE,  # kept apart from the demo's articles by the section filter
        )
        for number, (title, body) in enumerate(items)
    )


def found(text, *, limit=20, offset=0, **filters):
    entries, total = search(
        parse_query(text, ("ru",)),
        Filters(languages=("ru",), section_id=BASE, **filters),
        limit=limit,
        offset=offset,
    )
    return [entry.object_id - BASE for entry in entries], total


ITEMS = [
    ("Забастовка шахтёров", "Шахтёры вышли на забастовку."),  # 0: title and body
    ("Новости дня", "Профсоюз поддержал забастовку учителей."),  # 1: body only
    ("Хроника", "О забастовке сообщили вечером; забастовки идут третий день."),  # 2: body only
    ("Забастовки в регионах", "Обзор недели."),  # 3: title only
    ("Спорт", "Футбольный матч перенесли."),  # 4: no match
    ("Итоги", "Забастовка завершилась, учителя вернулись."),  # 5: body only
    ("Учителя требуют прибавки", "Забастовка назначена на понедельник."),  # 6: body only
]


@pytest.fixture
def indexed():
    index(*ITEMS)


@pytest.mark.parametrize("rank_all", [5000, 2], ids=["ranked whole", "in bands"])
def test_title_matches_come_first_and_pages_do_not_overlap(indexed, monkeypatch, rank_all):
    monkeypatch.setattr(sqlite, "RANK_ALL", rank_all)

    first, total = found("забастовки", limit=3)
    second, _total = found("забастовки", limit=3, offset=3)

    assert total == 6
    assert set(first[:2]) == {0, 3}  # the title matches
    assert sorted(first + second) == [0, 1, 2, 3, 5, 6]
    assert found("забастовки -учителей")[0] and 1 not in found("забастовки -учителей")[0]
    assert 5 not in found("забастовки -учителя")[0]


def test_bands_order_the_body_matches_by_recency_and_keep_filters(indexed, monkeypatch):
    monkeypatch.setattr(sqlite, "RANK_ALL", 2)

    ids, total = found("забастовка")
    assert total == 6
    assert set(ids[:2]) == {0, 3} and ids[2:] == [6, 5, 2, 1]  # body-only: newest first

    dated, total = found(
        "забастовка", date_from=datetime.date(2026, 1, 2), date_to=datetime.date(2026, 1, 5)
    )
    assert total == 3 and sorted(dated) == [1, 2, 3]
    assert found('"вышли на забастовку"')[0] == [0]


@pytest.mark.parametrize("rank_all", [5000, 2], ids=["ranked whole", "in bands"])
def test_one_query_word_in_the_title_ranks_above_both_in_the_body(indexed, monkeypatch, rank_all):
    monkeypatch.setattr(sqlite, "RANK_ALL", rank_all)

    ids, total = found("забастовка учителя")

    assert total == 3
    assert ids[0] == 6 and sorted(ids) == [1, 5, 6]
