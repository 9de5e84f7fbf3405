"""Full-text tables for the search index: SQLite FTS5 or PostgreSQL ``tsvector``.

Both store the *analysed* terms (``iskra.search.analysis``), so the database only
matches and ranks; neither applies its own language rules (FTS5's ``unicode61``
tokenizer without diacritic removal, PostgreSQL's ``simple`` configuration). Three
weighted columns: title, lead (also tags, speakers, the work of a chapter), body.

A query reaches them as a list of clauses built from analysed terms only — ``("all",
[variants])``, ``("phrase", [[variants], ...])``, ``("none", [variants])`` — so no
user input is ever parsed by the engine's query syntax.
"""

from django.db import connection as default_connection

from .common import RANK_ALL, TABLE, with_recency
from .postgres import PostgresText
from .sqlite import SqliteText

__all__ = ["RANK_ALL", "TABLE", "PostgresText", "SqliteText", "backend_for", "with_recency"]


def backend_for(connection=None):
    connection = connection or default_connection
    return PostgresText() if connection.vendor == "postgresql" else SqliteText()
