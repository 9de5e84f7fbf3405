"""Database upkeep that the embedded SQLite default needs and PostgreSQL does itself."""

from django.db import connection

# Rows ANALYZE samples per index: enough for the query planner's choices, a few
# milliseconds on a site of thousands of pages.
ANALYSIS_LIMIT = 1000


def refresh_statistics(using=connection):
    """Refresh SQLite's table statistics so its query planner starts from the small side.

    Without statistics SQLite guesses, and on a site of thousands of articles it guessed
    wrong for several listing queries (scanning every page to find six sections).
    PostgreSQL's autovacuum keeps its own statistics; nothing is done there.
    """
    if using.vendor != "sqlite":
        return False
    with using.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
