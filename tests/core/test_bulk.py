"""Plain bulk inserts and updates (``iskra.core.bulk``): the rows a save would write,
defaults filled in, and nothing left behind when the transaction fails."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from iskra.core.bulk import insert_rows, update_rows
from iskra.imports.models import ImportedItem

pytestmark = pytest.mark.django_db

FIELDS = ("source", "container", "item", "page", "object_id", "digest")


def test_insert_rows_writes_the_values_and_the_defaults():
    before = timezone.now()

    count = insert_rows(
        ImportedItem,
        FIELDS,
        [("dle", "post", "17", None, None, "ab" * 16), ("dle", "file", "image:a.png", None, 9, "")],
    )

    assert count == 2
    rows = ImportedItem.objects.filter(source="dle").order_by("item")
    assert [(r.container, r.item, r.page_id, r.object_id, r.digest) for r in rows] == [
        ("post", "17", None, None, "ab" * 16),
        ("file", "image:a.png", None, 9, ""),
    ]
    # The default of a field not given (imported_at: now), an aware time read back.
    assert all(before <= r.imported_at <= timezone.now() for r in rows)
    assert all(r.imported_at.tzinfo is not None for r in rows)


def test_insert_rows_of_many_batches_and_none():
    rows = [("wordpress", "post", str(n), None, n, "") for n in range(12_345)]

    assert insert_rows(ImportedItem, FIELDS, rows) == 12_345
    assert insert_rows(ImportedItem, FIELDS, []) == 0
    assert ImportedItem.objects.filter(source="wordpress").count() == 12_345
    assert ImportedItem.objects.get(source="wordpress", item="12344").object_id == 12_344


def test_a_failed_insert_leaves_nothing_in_its_transaction():
    ImportedItem.objects.create(source="dle", container="post", item="1")

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(
            ImportedItem,
            FIELDS,
            [("dle", "post", "2", None, None, ""), ("dle", "post", "1", None, None, "")],
        )

    assert list(ImportedItem.objects.values_list("item", flat=True)) == ["1"]


def test_update_rows_sets_the_fields_of_each_row_by_its_key():
    first = ImportedItem.objects.create(source="dle", container="post", item="1", digest="old")
    second = ImportedItem.objects.create(source="dle", container="post", item="2", digest="old")
    other = ImportedItem.objects.create(source="dle", container="post", item="3", digest="old")
    when = datetime.datetime(2020, 5, 1, 12, tzinfo=datetime.UTC)

    update_rows(
        ImportedItem,
        "id",
        ["digest", "imported_at"],
        [(first.pk, "one", when), (second.pk, "two", when)],
    )

    first.refresh_from_db()
    second.refresh_from_db()
    other.refresh_from_db()
    assert (first.digest, second.digest, other.digest) == ("one", "two", "old")
    assert first.imported_at == second.imported_at == when != other.imported_at
