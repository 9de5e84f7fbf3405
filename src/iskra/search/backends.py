"""Full-text tables for the search index: SQLite FTS5 or PostgreSQL ``tsvector``.

Both store the *analysed* terms (``iskra.search.analysis``), so the database only
matches and ranks; neither applies its own language rules (FTS5's ``unicode61``
tokenizer without diacritic removal, PostgreSQL's ``simple`` configuration). Three
weighted columns: title, lead (also tags, speakers, the work of a chapter), body.

A query reaches them as a list of clauses built from analysed terms only — ``("all",
[variants])``, ``("phrase", [[variants], ...])``, ``("none", [variants])`` — so no
user input is ever parsed by the engine's query syntax.
"""

import contextlib
import datetime
import itertools

from django.db import connection as default_connection
from django.db import transaction

TABLE = "iskra_search_text"
WEIGHTS = (10.0, 4.0, 1.0)  # title, lead, body
MAX_PHRASE_VARIANTS = 16
RECENCY_WINDOW = 40
RANK_ALL = 5000  # matches ranked one by one; more come in two bands (SqliteText.match)


def with_recency(ranked):
    """Re-order [(entry id, score)] with a small bonus for recent entries: × 1.2 for
    today's, falling to × 1 over a year (undated entries × 1)."""
    from .models import SearchEntry

    dates = dict(
        SearchEntry.objects.filter(pk__in=[pk for pk, _s in ranked]).values_list("pk", "date")
    )
    today = datetime.date.today()

    def score(item):
        pk, value = item
        date = dates.get(pk)
        bonus = max(0.0, 1 - (today - date).days / 365) if date else 0.0
        return value * (1 + 0.2 * bonus)

    return sorted(ranked, key=lambda item: (-score(item), -item[0]))


def backend_for(connection=None):
    connection = connection or default_connection
    return PostgresText() if connection.vendor == "postgresql" else SqliteText()


def _phrases(words):
    """Return the phrases (lists of terms) a phrase clause stands for, at most 16."""
    return [list(p) for p in itertools.islice(itertools.product(*words), MAX_PHRASE_VARIANTS)]


class SqliteText:
    """An FTS5 table whose rowid is the entry id; ranked with bm25.

    Besides the three text columns it holds ``facets`` (tokens such as ``langru``,
    ``kindarticle``, ``sec42``) so that the usual filters are part of the full-text
    match instead of a join, and ``day`` (the entry's date as a day number) for the
    recency factor: a query touches the entry table only for the page of results.
    """

    def create(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                "title, lead, body, facets, day UNINDEXED, "
                "tokenize = 'unicode61 remove_diacritics 0')"
            )
            weights = ", ".join(str(w) for w in (*WEIGHTS, 0.0))
            cursor.execute(
                f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('rank', 'bm25({weights})')"
            )

    def drop(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def write(self, cursor, rows):
        """Store ``rows`` of (entry id, title terms, lead terms, body terms, facets, day)."""
        rows = list(rows)
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, lead, body, facets, day) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )

    def delete(self, cursor, ids):
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def terms_of(self, cursor, entry_id):
        cursor.execute(f"SELECT title, lead, body FROM {TABLE} WHERE rowid = %s", [entry_id])
        row = cursor.fetchone()
        return set(" ".join(row).split()) if row else set()

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    def analyze(self, cursor):
        cursor.execute("ANALYZE iskra_search_searchentry")

    @staticmethod
    def _group(variants):
        return "(" + " OR ".join(f'"{v}"' for v in variants) + ")"

    def _parts(self, clauses):
        positive, negative = [], []
        for kind, value in clauses:
            if kind == "all":
                positive.append(self._group(value))
            elif kind == "phrase":
                phrases = ['"' + " ".join(p) + '"' for p in _phrases(value)]
                positive.append("(" + " OR ".join(phrases) + ")")
            elif kind == "none":
                negative.append(self._group(value))
        return positive, negative

    def expression(self, clauses, band=None):
        """The MATCH expression of ``clauses``; ``band`` "head" keeps the entries with a
        query word in the title or lead, "body" those with none there."""
        positive, negative = self._parts(clauses)
        if not positive:
            return ""
        # Terms are matched in the text columns only, never in the facets.
        expression = (
            "{title lead body} : ("
            + " AND ".join(positive)
            + "".join(f" NOT {n}" for n in negative)
            + ")"
        )
        head = "{title lead} : (" + " OR ".join(positive) + ")"
        if band == "head" and len(positive) == 1:  # the same, with one phrase less to rank
            return head + "".join(f" NOT {{title lead body}} : {n}" for n in negative)
        if band == "head":
            return f"{expression} AND {head}"
        if band == "body":
            return f"{expression} NOT {head}"
        return expression

    @staticmethod
    def _facets(filters):
        groups = [[f"lang{language}" for language in filters.languages]]
        if filters.kinds:
            groups.append([f"kind{kind}" for kind in filters.kinds])
        if filters.section_id:
            groups.append([f"sec{int(filters.section_id)}"])
        return " AND ".join(
            "facets : (" + " OR ".join(f'"{token}"' for token in group) + ")" for group in groups
        )

    def _condition(self, clauses, filters, band=None):
        condition, params = (
            f"{TABLE} MATCH %s",
            [f"{self.expression(clauses, band)} AND {self._facets(filters)}"],
        )
        if filters.date_from:
            condition += " AND day >= %s"
            params.append(filters.date_from.toordinal())
        if filters.date_to:
            condition += " AND day <= %s"
            params.append(filters.date_to.toordinal())
        return condition, params

    def match(self, clauses, filters, *, limit, offset):
        """Return ([(entry id, score)], total) of the entries matching ``clauses``; with
        ``limit`` 0 only the total is counted.

        Up to ``RANK_ALL`` matches are all ranked with bm25 (the column weights; FTS5
        sorts by its rank without reading the rows), then the recency factor is applied
        to a window around the page asked for. Ranking costs about 1.4 µs a match — 63 ms
        for a word in 44,000 of 50,000 articles (bench/search.py) — so more matches come
        in two bands: those with a query word in the title or lead, ranked, then the
        rest, most recently indexed first.
        """
        if not self.expression(clauses):
            return [], 0
        wanted = offset + limit
        with default_connection.cursor() as cursor:
            total = self._count(cursor, *self._condition(clauses, filters))
            if not total or not limit:  # limit 0: only the count
                return [], total
            if total <= RANK_ALL:
                ranked = self._ranked(cursor, clauses, filters, None, wanted)
                return ranked[offset:wanted], total
            head = self._count(cursor, *self._condition(clauses, filters, "head"))
            ranked = []
            if offset < head:
                ranked = self._ranked(cursor, clauses, filters, "head", wanted)[offset:wanted]
            if len(ranked) < limit:
                condition, params = self._condition(clauses, filters, "body")
                cursor.execute(
                    f"SELECT rowid FROM {TABLE} WHERE {condition} "
                    "ORDER BY rowid DESC LIMIT %s OFFSET %s",
                    [*params, limit - len(ranked), max(0, offset - head)],
                )
                ranked += [(row[0], 0.0) for row in cursor.fetchall()]
        return ranked, total

    @staticmethod
    def _count(cursor, condition, params):
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE {condition}", params)
        return cursor.fetchone()[0]

    def _ranked(self, cursor, clauses, filters, band, wanted):
        condition, params = self._condition(clauses, filters, band)
        cursor.execute(
            f"SELECT rowid, rank FROM {TABLE} WHERE {condition} ORDER BY rank LIMIT %s",
            [*params, wanted + RECENCY_WINDOW],
        )
        return with_recency([(row[0], -row[1]) for row in cursor.fetchall()])

    def matches(self, clauses, entry_id):
        """Does the entry ``entry_id`` match ``clauses``?"""
        expression = self.expression(clauses)
        with default_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid = %s",
                [expression, entry_id],
            )
            return cursor.fetchone() is not None

    def related(self, terms, filters, *, exclude, limit):
        """Return [(entry id, score)] of the entries sharing most of ``terms``."""
        if not terms:
            return []
        terms = "{title lead body} : (" + " OR ".join(f'"{t}"' for t in terms) + ")"
        expression = f"{terms} AND {self._facets(filters)}"
        with default_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -rank FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid <> %s "
                "ORDER BY rank LIMIT %s",
                [expression, exclude, limit],
            )
            return cursor.fetchall()


@contextlib.contextmanager
def _through_indexes():
    """A cursor whose queries reach the text table through its GIN indexes.

    For a word in most documents the planner prefers reading the table to the index,
    and testing ``document @@ query`` row by row unpacks every document: 550 ms instead
    of 45 ms for a word in 44,000 of 50,000 articles (bench/search.py).
    """
    with transaction.atomic(), default_connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


class PostgresText:
    """A table of weighted ``tsvector`` documents with GIN indexes.

    ``document`` holds all three columns (title A, lead B, body D) and decides what
    matches; ``head`` holds title and lead only. Ranking every match with ``ts_rank``
    reads every matching document — 1.8 s a query for a common word in 50,000 articles
    (bench/search.py) — so results come in two bands: entries with a query word (or
    phrase) in their title or lead, ranked by ``ts_rank`` on the small ``head`` (× the
    recency bonus), then the entries matching in the body only, newest first.
    """

    recency = (
        "(CASE WHEN e.date IS NULL THEN 0 "
        "ELSE GREATEST(0, 1 - (CURRENT_DATE - e.date) / 365.0) END)"
    )

    def create(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "entry_id bigint PRIMARY KEY REFERENCES iskra_search_searchentry(id) "
                "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, document tsvector NOT NULL, "
                "head tsvector NOT NULL DEFAULT '')"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)"
            )
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_head ON {TABLE} USING gin (head)")

    def drop(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    VECTOR = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), "
        "'B') || setweight(to_tsvector('simple', %s), 'D')"
    )

    def write(self, cursor, rows):
        """Store ``rows`` of (entry id, title, lead, body terms, facets, day); the filters
        are read from the entry table."""
        cursor.executemany(
            f"INSERT INTO {TABLE} (entry_id, document, head) VALUES (%s, {self.VECTOR}, "
            "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), "
            "'B')) ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document, "
            "head = EXCLUDED.head",
            [(*row[:4], row[1], row[2]) for row in rows],
        )

    def delete(self, cursor, ids):
        cursor.execute(f"DELETE FROM {TABLE} WHERE entry_id = ANY(%s)", [list(ids)])

    def terms_of(self, cursor, entry_id):
        cursor.execute(
            f"SELECT tsvector_to_array(document) FROM {TABLE} WHERE entry_id = %s", [entry_id]
        )
        row = cursor.fetchone()
        return set(row[0]) if row else set()

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    def analyze(self, cursor):
        # Without fresh statistics after a bulk load the planner walked all 51,000
        # entries of a language for a rare word (0.9 s instead of 28 ms).
        cursor.execute("ANALYZE iskra_search_searchentry")
        cursor.execute(f"ANALYZE {TABLE}")

    @staticmethod
    def _lexeme(term):
        return "'" + term.replace("'", "''") + "'"

    def _group(self, variants):
        return "(" + " | ".join(self._lexeme(v) for v in variants) + ")"

    def expression(self, clauses, band=None):
        """The ``tsquery`` of ``clauses``; ``band`` "head" asks for any of the positive
        words or phrases (to find and rank the entries with one in the title or lead)."""
        positive, negative = [], []
        for kind, value in clauses:
            if kind == "all":
                positive.append(self._group(value))
            elif kind == "phrase":
                phrases = [
                    "(" + " <-> ".join(self._lexeme(t) for t in p) + ")" for p in _phrases(value)
                ]
                positive.append("(" + " | ".join(phrases) + ")")
            elif kind == "none":
                negative.append("!" + self._group(value))
        if not positive:
            return ""
        if band == "head":  # any of the query's words or phrases
            return " | ".join(positive)
        return " & ".join(positive + negative)

    def match(self, clauses, filters, *, limit, offset):
        expression = self.expression(clauses)
        if not expression:
            return [], 0
        head_expression = self.expression(clauses, "head")
        where, params = filters.sql()
        join = f"FROM {TABLE} t JOIN iskra_search_searchentry e ON e.id = t.entry_id"
        query = "to_tsquery('simple', %s)"
        condition = f"t.document @@ {query} AND {where}"
        in_head = f"t.head @@ {query} AND t.document @@ {query} AND {where}"
        body_only = f"t.document @@ {query} AND NOT (t.head @@ {query}) AND {where}"
        with _through_indexes() as cursor:
            cursor.execute(f"SELECT COUNT(*) {join} WHERE {condition}", [expression, *params])
            total = cursor.fetchone()[0]
            if not total or not limit:  # limit 0: only the count
                return [], total
            cursor.execute(
                f"SELECT e.id, ts_rank('{{0.1, 0.2, 0.4, 1.0}}', t.head, {query}) "
                f"* (1 + 0.2 * {self.recency}) AS score {join} WHERE {in_head} "
                "ORDER BY score DESC, e.id DESC LIMIT %s",
                [head_expression, head_expression, expression, *params, offset + limit],
            )
            head = [(pk, 1 + score) for pk, score in cursor.fetchall()]
            ranked = head[offset : offset + limit]
            if len(head) < offset + limit:  # all the head band is here: the body's turn
                cursor.execute(
                    f"SELECT e.id {join} WHERE {body_only} "
                    "ORDER BY e.date DESC NULLS LAST, e.id DESC LIMIT %s OFFSET %s",
                    [
                        expression,
                        head_expression,
                        *params,
                        limit - len(ranked),
                        max(0, offset - len(head)),
                    ],
                )
                ranked += [(row[0], 0.5) for row in cursor.fetchall()]
        return ranked, total

    def matches(self, clauses, entry_id):
        with _through_indexes() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {TABLE} WHERE entry_id = %s "
                "AND document @@ to_tsquery('simple', %s)",
                [entry_id, self.expression(clauses)],
            )
            return cursor.fetchone() is not None

    def related(self, terms, filters, *, exclude, limit):
        if not terms:
            return []
        where, params = filters.sql()
        where, params = f"{where} AND e.id <> %s", [*params, exclude]
        expression = " | ".join(self._lexeme(t) for t in terms)
        # Ranked on title, lead and tags (``head``): ranking whole documents read every
        # match, over a second per article at 50,000 articles (bench/search.py).
        with _through_indexes() as cursor:
            cursor.execute(
                "SELECT e.id, ts_rank('{0.1, 0.2, 0.4, 1.0}', t.head, q) AS score "
                f"FROM {TABLE} t JOIN iskra_search_searchentry e ON e.id = t.entry_id, "
                "to_tsquery('simple', %s) q "
                f"WHERE t.head @@ q AND {where} ORDER BY score DESC LIMIT %s",
                [expression, *params, limit],
            )
            return cursor.fetchall()
