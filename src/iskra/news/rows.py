"""Plain-SQL reads for the news queries every page view makes (see ``iskra.core.rows``
for why). ``tests/news/test_rows.py`` compares each with the same read through the ORM,
on SQLite and PostgreSQL.

Tables are named through the app registry, so the models can use these reads.
"""

from django.apps import apps
from wagtail.models import Page

from iskra.core.models import restricted_paths
from iskra.core.rows import as_datetime, fetch

from .cards import CARD_VALUES


def _table(model_name):
    return apps.get_model("news", model_name)._meta.db_table


def related_rows(article_id, limit):
    """Return card rows of the stored related list of article ``article_id``, in rank
    order, live and public only.

    Plain SQL: this runs on every article view (see ``iskra.core.rows``).
    """
    page_table = Page._meta.db_table
    rows = fetch(
        f"SELECT a.page_ptr_id, p.title, a.listing_title, a.listing_summary, a.lead, a.date, "  # noqa: S608  (only table names are formatted in)
        f"p.url_path, a.cover_image_id, p.path "
        f"FROM {_table('RelatedArticle')} r "
        f"JOIN {_table('ArticlePage')} a ON a.page_ptr_id = r.related_id "
        f"JOIN {page_table} p ON p.id = a.page_ptr_id "
        f"WHERE r.article_id = %s AND p.live = %s ORDER BY r.rank",
        [article_id, True],
    )
    private = tuple(restricted_paths())
    return [
        dict(zip(CARD_VALUES, (*row[:5], as_datetime(row[5]), *row[6:8]), strict=True))
        for row in rows
        if not (private and row[8].startswith(private))
    ][:limit]


class SectionListing:
    """A section's live public articles, newest first, as card rows, for Django's Paginator.

    Gives the paginator what it asks of a queryset (``count()`` and slicing) with two
    fixed SQL queries, optionally limited to one tag.
    """

    def __init__(self, section_id, tag_id=None):
        conditions = ["a.section_id = %s", "p.live = %s"]
        self.params = [section_id, True]
        for private in restricted_paths():
            conditions.append("NOT (p.path >= %s AND p.path <= %s)")
            self.params += [private, private.ljust(255, "Z")]
        if tag_id is not None:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {_table('ArticleTag')} tagged "  # noqa: S608  (table name)
                f"WHERE tagged.content_object_id = a.page_ptr_id AND tagged.tag_id = %s)"
            )
            self.params.append(tag_id)
        self.source = (
            f"FROM {_table('ArticlePage')} a "
            f"JOIN {Page._meta.db_table} p ON p.id = a.page_ptr_id "
            f"WHERE {' AND '.join(conditions)}"
        )
        self._count = None

    def count(self):
        if self._count is None:
            self._count = fetch(f"SELECT COUNT(*) {self.source}", self.params)[0][0]  # noqa: S608  (built from fixed parts)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("SectionListing supports plain slices only")
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        if stop <= start:
            return []
        rows = fetch(
            f"SELECT a.page_ptr_id, p.title, a.listing_title, a.listing_summary, a.lead, "  # noqa: S608  (built from fixed parts)
            f"a.date, p.url_path, a.cover_image_id {self.source} "
            f"ORDER BY a.date DESC, a.page_ptr_id DESC LIMIT %s OFFSET %s",
            [*self.params, stop - start, start],
        )
        return [
            dict(zip(CARD_VALUES, (*row[:5], as_datetime(row[5]), *row[6:]), strict=True))
            for row in rows
        ]


def _linked_names(link, target, target_column, article_column, order, article_id):
    return fetch(
        f"SELECT t.name, t.slug FROM {link} link "  # noqa: S608  (names from the models)
        f"JOIN {target} t ON t.id = link.{target_column} "
        f"WHERE link.{article_column} = %s ORDER BY link.{order}, link.id",
        [article_id],
    )


def article_tags(article_id):
    """Return (name, slug) of the article's tags in the order they were given."""
    tag_table = apps.get_model("taggit", "Tag")._meta.db_table
    return _linked_names(
        _table("ArticleTag"), tag_table, "tag_id", "content_object_id", "id", article_id
    )


def article_authors(article_id):
    """Return (name, slug) of the article's authors in their editorial order."""
    person_table = apps.get_model("core", "Person")._meta.db_table
    return _linked_names(
        _table("ArticleAuthor"), person_table, "person_id", "article_id", "sort_order", article_id
    )
