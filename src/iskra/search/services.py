"""The search's public API: what content apps and other service apps call.

Content apps describe their searchable pages with a ``SearchProvider``
(``iskra.core.contracts``); publishing keeps the index in step on its own
(``signal_handlers``). Other code calls only these functions; the index's tables and
backends are this app's own business.
"""

from .indexing import (
    bulk_indexing,
    has_entry,
    index_page,
    index_pages,
    indexing_deferred,
    is_empty,
    is_searchable,
    rebuild,
    unindex_page,
)
from .queries import MAX_QUERY_CHARACTERS, Filters, Query, count, parse_query, search, snippet
from .similar import similar_many, similar_to
from .static_index import StaticIndexReport, write_static_index

__all__ = [
    "MAX_QUERY_CHARACTERS",
    "Filters",
    "Query",
    "StaticIndexReport",
    "bulk_indexing",
    "count",
    "has_entry",
    "index_page",
    "index_pages",
    "indexing_deferred",
    "is_empty",
    "is_searchable",
    "parse_query",
    "rebuild",
    "search",
    "similar_many",
    "similar_to",
    "snippet",
    "unindex_page",
    "write_static_index",
]
