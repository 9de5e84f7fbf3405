"""Plain SQL reads for the few queries every page view makes.

The ORM builds and compiles its SQL anew on each call, about a millisecond per query
for Wagtail's multi-table pages; an article view made half a dozen such queries for a
handful of rows. The queries here are fixed strings in portable SQL (SQLite and
PostgreSQL), with table names taken from the models, returning plain tuples.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone


def fetch(sql, params=()):
    """Run ``sql`` (with ``%s`` placeholders) and return all rows."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_datetime(value):
    """Return a database datetime value as an aware datetime (SQLite gives text)."""
    if value is None or isinstance(value, datetime.datetime):
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return value
    parsed = datetime.datetime.fromisoformat(value)
    if settings.USE_TZ and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


def placeholders(values):
    """Return ``%s, %s, …`` for an IN list of ``values``."""
    return ", ".join(["%s"] * len(values))
