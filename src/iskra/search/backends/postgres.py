"""The PostgreSQL table of weighted ``tsvector`` documents with GIN indexes."""

import contextlib
from collections import Counter

from django.db import connection as default_connection
from django.db import transaction

from .common import TABLE, phrase_variants


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

    def term_weights(self, cursor, entry_ids):
        """Yield (entry id, {term: weight}) of ``entry_ids`` from their stored vectors: a
        position weighted A (title) counts 3, B (lead) 2, D (body) 1."""
        ids = list(entry_ids)
        value = {"A": 3, "B": 2, "C": 1, "D": 1}
        # A hundred entries a query: a row a term, and 500 entries' rows held at once
        # were tens of MB at the peak of an import's related ranking.
        for start in range(0, len(ids), 100):
            cursor.execute(
                f"SELECT entry_id, lexeme, weights FROM {TABLE}, unnest(document) "
                "WHERE entry_id = ANY(%s) ORDER BY entry_id",
                [ids[start : start + 100]],
            )
            current, weights = None, Counter()
            for entry_id, lexeme, labels in cursor.fetchall():
                if entry_id != current:
                    if current is not None:
                        yield current, weights
                    current, weights = entry_id, Counter()
                if len(lexeme) > 2 and not lexeme.isdigit():
                    weights[lexeme[:100]] += sum(value[label] for label in labels)
            if current is not None:
                yield current, weights

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
                    "(" + " <-> ".join(self._lexeme(t) for t in p) + ")"
                    for p in phrase_variants(value)
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
