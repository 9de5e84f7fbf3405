"""The SQLite FTS5 table of analysed terms."""

from django.db import connection as default_connection

from .common import (
    RANK_ALL,
    RECENCY_WINDOW,
    TABLE,
    WEIGHTS,
    phrase_variants,
    weigh_terms,
    with_recency,
)


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

    def term_weights(self, cursor, entry_ids):
        """Yield (entry id, {term: weight}) of ``entry_ids`` from their stored analysed
        text: an occurrence in the title counts 3, in the lead 2, in the body 1."""
        ids = list(entry_ids)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            cursor.execute(
                f"SELECT rowid, title, lead, body FROM {TABLE} WHERE rowid IN "
                f"({', '.join(['%s'] * len(part))})",
                part,
            )
            for rowid, title, lead, body in cursor.fetchall():
                yield rowid, weigh_terms(title, lead, body)

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
                phrases = ['"' + " ".join(p) + '"' for p in phrase_variants(value)]
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
