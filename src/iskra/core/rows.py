"""Plain SQL reads for the few queries every page view makes, and their helpers.

The ORM builds and compiles its SQL anew on each call, about a millisecond per query
for Wagtail's multi-table pages; an article view made half a dozen such queries for a
handful of rows. The queries here are fixed strings in portable SQL (SQLite and
PostgreSQL), with table names taken from the models, returning plain tuples. Each read
here (and in ``iskra.news.rows``) is compared with the ORM's answer by the tests, on
SQLite and PostgreSQL.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page


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


def live_translations(translation_key):
    """Return (locale id, URL path) of the live pages of ``translation_key``."""
    key = Page._meta.get_field("translation_key").get_db_prep_value(translation_key, connection)
    return fetch(
        f"SELECT locale_id, url_path FROM {Page._meta.db_table} "  # noqa: S608  (table name)
        f"WHERE translation_key = %s AND live = %s",
        [key, True],
    )


def renditions(image_ids, filter_specs):
    """Return the rendition rows of ``image_ids`` × ``filter_specs`` with their image's
    focal point, title and description: (image id, filter spec, file, width, height,
    focal point key, focal x, y, width, height, title, description)."""
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    ids, specs = sorted(image_ids), sorted(filter_specs)
    return fetch(
        f"SELECT r.image_id, r.filter_spec, r.file, r.width, r.height, r.focal_point_key, "  # noqa: S608  (only table names and placeholders are formatted in)
        f"i.focal_point_x, i.focal_point_y, i.focal_point_width, i.focal_point_height, "
        f"i.title, i.description "
        f"FROM {rendition_model._meta.db_table} r "
        f"JOIN {image_model._meta.db_table} i ON i.id = r.image_id "
        f"WHERE r.image_id IN ({placeholders(ids)}) "
        f"AND r.filter_spec IN ({placeholders(specs)})",
        [*ids, *specs],
    )
