"""Wagtail's search (modelsearch) with Iskra's language analysis, for the admin.

The admin's page search and choosers go through Wagtail's search backend. This backend
is modelsearch's database backend (SQLite FTS5 or PostgreSQL with the ``simple``
configuration) with two changes: the text of every search field is stored as Iskra's
analysed terms (in the language of the object's locale), and a query string becomes,
word by word, the alternatives ``query_variants`` gives in Russian and Kazakh. So
"конференции" or "Qazaqstan" finds in the admin what it finds on the public search
page. Autocomplete (title prefixes, which the admin's page search uses) matches the
stems of the typed words as prefixes; where a word has different Russian and Kazakh
stems, any of them may match.

modelsearch builds its indexer from a module-level ``ObjectIndexer`` class; this module
replaces that class in the SQLite and PostgreSQL backend modules with a subclass when
it is loaded as the configured backend.
"""

from django.db import connection
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import And, Or, PlainText

from . import analysis


def _language_of(obj):
    locale = getattr(obj, "locale", None)
    code = getattr(locale, "language_code", "") if locale is not None else ""
    return code if code in analysis.LANGUAGES else "ru"


def _analysed_indexer(base):
    class AnalysedObjectIndexer(base):
        def prepare_field(self, obj, field):
            # modelsearch's indexer walks every search field once for each of the columns
            # it fills (title, body, autocomplete; on PostgreSQL also their texts), so an
            # object's field is prepared, and its text analysed, once and then reused.
            if obj is not self.obj:
                yield from self._analysed(obj, field)
                return
            prepared = self.__dict__.setdefault("_iskra_prepared", {})
            found = prepared.get(id(field))
            if found is None:
                found = prepared[id(field)] = list(self._analysed(obj, field))
            yield from found

        def _analysed(self, obj, field):
            for item in super().prepare_field(obj, field):
                if isinstance(item[0], SearchField | AutocompleteField):
                    item = (*item[:-1], analysis.analyzed_text(item[-1], _language_of(self.obj)))
                yield item

    AnalysedObjectIndexer.__name__ = f"Analysed{base.__name__}"
    return AnalysedObjectIndexer


def _text_of(query):
    """Return the words of a query string or a plain-text query object, else None."""
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText):
        return query.query_string
    return None


def analysed_query(query):
    """Return a modelsearch query of the analysed alternatives of a query string."""
    text = _text_of(query)
    if text is None:
        return query
    query = text
    groups = []
    for word in analysis.words(query[:500]):
        variants = analysis.query_variants(word, analysis.LANGUAGES)
        if variants:
            groups.append(
                Or([PlainText(v) for v in variants])
                if len(variants) > 1
                else PlainText(variants[0])
            )
    if not groups:
        return query
    return And(groups[:12]) if len(groups) > 1 else groups[0]


def _with_analysis(backend_class):
    class AnalysedBackend(backend_class):
        def search(self, query, model_or_queryset, *args, **kwargs):
            return super().search(analysed_query(query), model_or_queryset, *args, **kwargs)

        def autocomplete(self, query, model_or_queryset, fields=None, operator=None, **kwargs):
            # Stems are prefixes of their words, so a typed prefix's stem still matches.
            # (The admin's page search passes a parsed plain-text query.)
            text = _text_of(query)
            if text is not None:
                groups = [
                    analysis.query_variants(word, analysis.LANGUAGES)
                    for word in analysis.words(text[:500])
                ]
                groups = [g for g in groups if g][:12]
                if groups:
                    query = " ".join(term for group in groups for term in group)
                    if any(len(group) > 1 for group in groups):
                        operator = "or"
            return super().autocomplete(
                query, model_or_queryset, fields=fields, operator=operator, **kwargs
            )

    AnalysedBackend.__name__ = f"Analysed{backend_class.__name__}"
    return AnalysedBackend


def SearchBackend(params):  # noqa: N802  (the name modelsearch looks for)
    if connection.vendor == "postgresql":
        # Each module imports its database driver's features: import only the one in use.
        from modelsearch.backends.database.postgres import postgres as module

        params = {"SEARCH_CONFIG": "simple", **params}
        backend_class = module.PostgresSearchBackend
    else:
        from modelsearch.backends.database.sqlite import sqlite as module

        backend_class = module.SQLiteSearchBackend
    if not module.ObjectIndexer.__name__.startswith("Analysed"):
        module.ObjectIndexer = _analysed_indexer(module.ObjectIndexer)
    return _with_analysis(backend_class)(params)
