"""Article cards: what listings show, built from plain rows instead of page objects.

A listing of twenty articles built from page objects spent most of its time creating
them (Wagtail pages are cluster models) and asking each for its URL and picture. Cards
are built from one query (``card_rows`` or ``iskra.news.rows``), one rendition query and
the URL prefix of the article's language.
"""

from dataclasses import dataclass
from datetime import datetime

from iskra.core.models import url_for
from iskra.core.pictures import Picture, pictures

CARD_VALUES = (
    "pk",
    "title",
    "listing_title",
    "listing_summary",
    "lead",
    "date",
    "url_path",
    "cover_image_id",
)
CARD_PICTURE = "fill-400x225"
COMPACT_PICTURE = "fill-160x100"
LEAD_PICTURE = "fill-800x450"


@dataclass(slots=True)
class Card:
    pk: int
    title: str
    url: str
    date: datetime
    summary: str
    image_id: int | None
    image: Picture | None = None


def card_rows(queryset):
    """Return ``queryset`` (of articles) as the rows cards are built from."""
    return queryset.values(*CARD_VALUES)


def build_cards(rows, request=None, spec=CARD_PICTURE):
    """Return a Card per row (from ``card_rows``), its picture rendered with ``spec``."""
    rows = list(rows)
    found = pictures((row["cover_image_id"], spec) for row in rows)
    return [
        Card(
            pk=row["pk"],
            title=row["listing_title"] or row["title"],
            url=url_for(row["url_path"], request),
            date=row["date"],
            summary=row["listing_summary"] or row["lead"],
            image_id=row["cover_image_id"],
            image=found.get((row["cover_image_id"], spec)),
        )
        for row in rows
    ]
