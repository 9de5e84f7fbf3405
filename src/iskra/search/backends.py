"""Full-text tables for the search index: SQLite FTS5 or PostgreSQL ``tsvector``.

Both store the *analysed* terms (``iskra.search.analysis``), so the database only
matches and ranks; neither applies its own language rules (FTS5's ``unicode61``
tokenizer without diacritic removal, PostgreSQL's ``simple`` configuration). Three
weighted columns: title, lead (also tags, speakers, the work of a chapter), body.

A query reaches them as a list of clauses built from analysed terms only — ``("all",
[variants])``, ``("phrase", [[variants], ...])``, ``("none", [variants])`` — so no
user input is ever parsed by the engine's query syntax.
"""

import itertools

from django.db import connection as default_connection

TABLE = "iskra_search_text"
WEIGHTS = (10.0, 4.0, 1.0)  # title, lead, body
MAX_PHRASE_VARIANTS = 16


def backend_for(connection=None):
    connection = connection or default_connection
    return PostgresText() if connection.vendor == "postgresql" else SqliteText()


def _phrases(words):
    """Return the phrases (lists of terms) a phrase clause stands for, at most 16."""
    return [list(p) for p in itertools.islice(itertools.product(*words), MAX_PHRASE_VARIANTS)]


class SqliteText:
    """An FTS5 table whose rowid is the entry id; ranked with bm25."""

    # 1 for today's news, falling to 0 over a year; undated entries 0.
    recency = (
        "(CASE WHEN e.date IS NULL THEN 0 "
        "ELSE max(0, 1 - (julianday('now') - julianday(e.date)) / 365.0) END)"
    )

    def create(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                "title, lead, body, tokenize = 'unicode61 remove_diacritics 0')"
            )

    def drop(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def write(self, cursor, rows):
        """Store ``rows`` of (entry id, title terms, lead terms, body terms)."""
        rows = list(rows)
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, lead, body) VALUES (%s, %s, %s, %s)", rows
        )

    def delete(self, cursor, ids):
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(i,) for i in ids])

    def terms_of(self, cursor, entry_id):
        cursor.execute(f"SELECT title, lead, body FROM {TABLE} WHERE rowid = %s", [entry_id])
        row = cursor.fetchone()
        return set(" ".join(row).split()) if row else set()

    def clear(self, cursor):
        cursor.execute(f"DELETE FROM {TABLE}")

    @staticmethod
    def _group(variants):
        return "(" + " OR ".join(f'"{v}"' for v in variants) + ")"

    def expression(self, clauses):
        positive, negative = [], []
        for kind, value in clauses:
            if kind == "all":
                positive.append(self._group(value))
            elif kind == "phrase":
                phrases = ['"' + " ".join(p) + '"' for p in _phrases(value)]
                positive.append("(" + " OR ".join(phrases) + ")")
            elif kind == "none":
                negative.append(self._group(value))
        if not positive:
            return ""
        return " AND ".join(positive) + "".join(f" NOT {n}" for n in negative)

    def match(self, clauses, *, where, params, limit, offset):
        """Return ([(entry id, score)], total) of the entries matching ``clauses``."""
        expression = self.expression(clauses)
        if not expression:
            return [], 0
        weights = ", ".join(str(w) for w in WEIGHTS)
        join = f"FROM {TABLE} JOIN iskra_search_searchentry e ON e.id = {TABLE}.rowid"
        condition = f"{TABLE} MATCH %s" + (f" AND {where}" if where else "")
        with default_connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {join} WHERE {condition}", [expression, *params])
            total = cursor.fetchone()[0]
            if not total:
                return [], 0
            # bm25 is negative, lower is better; a recent date makes it a little better.
            cursor.execute(
                f"SELECT e.id, bm25({TABLE}, {weights}) * (1 + 0.2 * {self.recency}) AS score "
                f"{join} WHERE {condition} ORDER BY score LIMIT %s OFFSET %s",
                [expression, *params, limit, offset],
            )
            return [(row[0], -row[1]) for row in cursor.fetchall()], total

    def related(self, terms, *, where, params, limit):
        """Return [(entry id, score)] of the entries sharing most of ``terms``."""
        expression = " OR ".join(f'"{t}"' for t in terms)
        if not expression:
            return []
        weights = ", ".join(str(w) for w in WEIGHTS)
        with default_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id, -bm25({TABLE}, {weights}) AS score FROM {TABLE} "
                f"JOIN iskra_search_searchentry e ON e.id = {TABLE}.rowid "
                f"WHERE {TABLE} MATCH %s AND {where} ORDER BY score DESC LIMIT %s",
                [expression, *params, limit],
            )
            return cursor.fetchall()


class PostgresText:
    """A table of weighted ``tsvector`` documents with a GIN index; ranked with ts_rank."""

    recency = (
        "(CASE WHEN e.date IS NULL THEN 0 "
        "ELSE GREATEST(0, 1 - (CURRENT_DATE - e.date) / 365.0) END)"
    )

    def create(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                "entry_id bigint PRIMARY KEY REFERENCES iskra_search_searchentry(id) "
                "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, document tsvector NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)"
            )

    def drop(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    VECTOR = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), "
        "'B') || setweight(to_tsvector('simple', %s), 'D')"
    )

    def write(self, cursor, rows):
        cursor.executemany(
            f"INSERT INTO {TABLE} (entry_id, document) VALUES (%s, {self.VECTOR}) "
            "ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document",
            list(rows),
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

    @staticmethod
    def _group(variants):
        return "(" + " | ".join(f"'{v}'" for v in variants) + ")"

    def expression(self, clauses):
        positive, negative = [], []
        for kind, value in clauses:
            if kind == "all":
                positive.append(self._group(value))
            elif kind == "phrase":
                phrases = ["(" + " <-> ".join(f"'{t}'" for t in p) + ")" for p in _phrases(value)]
                positive.append("(" + " | ".join(phrases) + ")")
            elif kind == "none":
                negative.append("!" + self._group(value))
        if not positive:
            return ""
        return " & ".join(positive + negative)

    def match(self, clauses, *, where, params, limit, offset):
        expression = self.expression(clauses)
        if not expression:
            return [], 0
        join = f"FROM {TABLE} t JOIN iskra_search_searchentry e ON e.id = t.entry_id"
        condition = "t.document @@ to_tsquery('simple', %s)" + (f" AND {where}" if where else "")
        with default_connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {join} WHERE {condition}", [expression, *params])
            total = cursor.fetchone()[0]
            if not total:
                return [], 0
            cursor.execute(
                "SELECT e.id, ts_rank('{0.1, 0.2, 0.4, 1.0}', t.document, "
                f"to_tsquery('simple', %s)) * (1 + 0.2 * {self.recency}) AS score "
                f"{join} WHERE {condition} ORDER BY score DESC, e.id DESC LIMIT %s OFFSET %s",
                [expression, expression, *params, limit, offset],
            )
            return cursor.fetchall(), total

    def related(self, terms, *, where, params, limit):
        if not terms:
            return []
        expression = " | ".join(f"'{t}'" for t in terms)
        with default_connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id, ts_rank('{0.1, 0.2, 0.4, 1.0}', t.document, q) AS score "
                f"FROM {TABLE} t JOIN iskra_search_searchentry e ON e.id = t.entry_id, "
                "to_tsquery('simple', %s) q "
                f"WHERE t.document @@ q AND {where} ORDER BY score DESC LIMIT %s",
                [expression, *params, limit],
            )
            return cursor.fetchall()
