"""Keep the index up to date: analyse each document, store its entry and its terms, and
keep per-language term counts (``SearchTerm``) for the related-article ranking.

What there is to index comes from the content apps' ``SearchProvider`` registrations
(``iskra.core.contracts``); this module knows no content model.
"""

import contextlib
import contextvars
from collections import Counter, deque

from django.db import connection, transaction
from wagtail.models import PageViewRestriction

from iskra.core.contracts import search_provider_for, search_providers
from iskra.core.page_cache import bump_generation_on_commit
from iskra.core.parallel import forked_pool, processes

from . import analysis
from .backends import backend_for
from .models import SearchEntry, SearchTerm

BULK = 1000  # documents indexed at once after which the tables are analysed
PAGES_PER_BATCH = 200

DEFERRED = contextvars.ContextVar("iskra_search_deferred", default=frozenset())


@contextlib.contextmanager
def indexing_deferred(page_id):
    """Publishing ``page_id`` inside this block does not index it: the caller will (the
    book importer indexes a work once its chapters exist)."""
    token = DEFERRED.set(DEFERRED.get() | {page_id})
    try:
        yield
    finally:
        DEFERRED.reset(token)


def _texts(document):
    return (
        document.language,
        document.title,
        f"{document.lead} {document.keywords}",
        document.body,
    )


def _analysed(texts):
    language, *parts = texts
    return tuple(analysis.analyzed_text(part, language) for part in parts)


def _analysed_batch(batch, created=None):
    """The terms of a batch of ``_texts`` (run in a worker process), and how many of the
    new documents (``created``, by position) have each term: {(language, term): n}."""
    analysed = [_analysed(texts) for texts in batch]
    counts = Counter()
    for texts, terms, new in zip(batch, analysed, created or [False] * len(batch), strict=True):
        if new:
            language = texts[0]
            counts.update((language, term[:100]) for term in set(" ".join(terms).split()))
    return analysed, counts


def _count_terms(cursor, changes):
    """Apply ``changes`` ({(language, term): +n/-n}) to the term counts."""
    rows = [(language, term, delta) for (language, term), delta in changes.items() if delta]
    if not rows:
        return
    table = SearchTerm._meta.db_table
    cursor.executemany(
        f"INSERT INTO {table} (language, term, documents) VALUES (%s, %s, %s) "
        "ON CONFLICT (language, term) DO UPDATE SET documents = "
        f"{table}.documents + EXCLUDED.documents",
        rows,
    )


# What an update rewrites: every column but the key and the (kind, object) identity.
_ENTRY_FIELDS = [
    f.name for f in SearchEntry._meta.concrete_fields if f.name not in ("id", "kind", "object_id")
]


def _entry(document):
    return SearchEntry(
        kind=document.kind,
        object_id=document.object_id,
        page_id=document.page_id,
        language=document.language,
        section_id=document.section_id,
        section_title=document.section_title[:255],
        date=document.date,
        title=document.title[:500],
        context=document.context[:500],
        path=document.path[:255],
        lead=document.lead,
        text=document.body,
    )


def _store_entries(batch):
    """Create or update the entries of ``batch`` (documents of distinct kind and object)
    in a few queries; return [(entry, created)] in the batch's order."""
    entries = [_entry(document) for document in batch]
    existing = {}
    for kind in {entry.kind for entry in entries}:
        ids = [entry.object_id for entry in entries if entry.kind == kind]
        existing.update(
            ((kind, object_id), pk)
            for object_id, pk in SearchEntry.objects.filter(
                kind=kind, object_id__in=ids
            ).values_list("object_id", "pk")
        )
    for entry in entries:
        entry.pk = existing.get((entry.kind, entry.object_id))
    fresh = [entry for entry in entries if entry.pk is None]
    changed = [entry for entry in entries if entry.pk is not None]
    if fresh:
        SearchEntry.objects.bulk_create(fresh)  # sets the primary keys (RETURNING)
    if changed:
        SearchEntry.objects.bulk_update(changed, _ENTRY_FIELDS)
    return [(entry, (entry.kind, entry.object_id) not in existing) for entry in entries]


class _Indexer:
    """Store documents' entries and terms a batch at a time (``index_documents``,
    ``bulk_indexing``). With ``parallel`` the texts are analysed in worker processes
    (``iskra.core.parallel``) while this one reads and writes the database; the first
    batch is analysed here, so that a few documents start no workers."""

    BATCH = 200

    def __init__(self, cursor, stack, *, count_terms=True, parallel=False, workers=None):
        self.cursor, self.stack = cursor, stack
        self.backend = backend_for()
        self.count_terms, self.parallel, self.workers = count_terms, parallel, workers
        self.pool, self.busy, self.waiting = None, 0, deque()
        self.changes = Counter()  # applied once at the end: a term counted once, not per batch
        self.batches = self.stored = 0
        self.pending = []

    def add(self, documents):
        for document in documents:
            self.pending.append(document)
            if len(self.pending) >= self.BATCH:
                self._batch(self.pending)
                self.pending = []

    def _batch(self, batch):
        # The same thing twice in a batch: the last one counts.
        batch = list({(d.kind, d.object_id): d for d in batch}.values())
        entries = _store_entries(batch)
        if self.parallel and self.batches == 1:  # a second batch: bulk work, worth workers
            self.pool = self.stack.enter_context(forked_pool(self.workers))
            self.busy = min(self.workers or processes(), processes())
        self.batches += 1
        texts = [_texts(document) for document in batch]
        created = [new and self.count_terms for _entry, new in entries]
        if self.pool is None:
            self._write(batch, entries, _analysed_batch(texts, created))
            return
        result = self.pool.apply_async(_analysed_batch, (texts, created))
        self.waiting.append((batch, entries, result))
        while len(self.waiting) > self.busy:  # every worker has a batch: take the oldest
            batch, entries, result = self.waiting.popleft()
            self._write(batch, entries, result.get())

    def _write(self, batch, entries, analysed):
        terms_of_batch, counts = analysed
        self.changes.update(counts)  # the new documents' terms, counted by the worker
        rows = []
        for document, (entry, created), terms in zip(batch, entries, terms_of_batch, strict=True):
            if self.count_terms and not created:
                old = self.backend.terms_of(self.cursor, entry.pk)
                new = set(" ".join(terms).split())
                for term in new - old:
                    self.changes[(document.language, term[:100])] += 1
                for term in old - new:
                    self.changes[(document.language, term[:100])] -= 1
            facets = f"lang{document.language} kind{document.kind}"
            if document.section_id:
                facets += f" sec{document.section_id}"
            day = document.date.toordinal() if document.date else 0
            rows.append((entry.pk, *terms, facets, day))
        self.backend.write(self.cursor, rows)
        self.stored += len(rows)

    def finish(self):
        """Store what is left, apply the term counts; return how many were stored."""
        if self.pending:
            self._batch(self.pending)
            self.pending = []
        while self.waiting:
            batch, entries, result = self.waiting.popleft()
            self._write(batch, entries, result.get())
        _count_terms(self.cursor, self.changes)
        self.changes = Counter()
        if self.stored >= BULK:
            self.backend.analyze(self.cursor)  # the planner's statistics after a bulk load
        return self.stored


def index_documents(documents, *, count_terms=True, parallel=False):
    """Store ``documents`` (replacing their earlier entries); return how many.

    With ``parallel`` (bulk work), the texts are analysed in worker processes."""
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        contextlib.ExitStack() as stack,
    ):
        indexer = _Indexer(cursor, stack, count_terms=count_terms, parallel=parallel)
        indexer.add(documents)
        return indexer.finish()


def _remove(entries):
    """Remove the entries ``[(pk, language)]`` with their terms; return how many."""
    if not entries:
        return 0
    backend = backend_for()
    with transaction.atomic(), connection.cursor() as cursor:
        changes = Counter()
        for pk, language in entries:
            for term in backend.terms_of(cursor, pk):
                changes[(language, term[:100])] -= 1
        _count_terms(cursor, changes)
        backend.delete(cursor, [pk for pk, _language in entries])
        SearchEntry.objects.filter(pk__in=[pk for pk, _language in entries]).delete()
    return len(entries)


def unindex(kind, object_ids):
    """Remove the entries of ``kind`` for ``object_ids``; return how many."""
    entries = SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids))
    return _remove(list(entries.values_list("pk", "language")))


def is_searchable(page):
    """Is ``page`` live and readable by everyone (no view restriction above it)?"""
    return page.live and not page.get_view_restrictions().exists()


def _searchable_test():
    """Return ``is_searchable`` for many pages: the restricted parts of the tree read
    once (a restriction covers its page and everything under it), not once a page."""
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    return lambda page: page.live and not page.path.startswith(restricted)


def index_page(page):
    """Index ``page`` as its type's provider describes it, replacing its earlier entries
    (or remove them when it is no longer public); return how many entries changed.

    Pages of types no provider offers are left alone. Runs in one transaction.
    """
    provider = search_provider_for(page)
    if provider is None:
        return 0
    page = page.specific
    if not is_searchable(page):
        return unindex_page(page)
    documents = list(provider.documents(page))
    current = {(document.kind, document.object_id) for document in documents}
    with transaction.atomic():
        stale = [
            (pk, language)
            for pk, kind, object_id, language in SearchEntry.objects.filter(
                page_id=page.pk
            ).values_list("pk", "kind", "object_id", "language")
            if (kind, object_id) not in current
        ]
        _remove(stale)
        return index_documents(documents)


class BulkIndex:
    """Pages indexed in bulk as they are written (see ``bulk_indexing``)."""

    def __init__(self, indexer):
        self._indexer = indexer
        self._searchable = _searchable_test()
        self.stored = 0

    def add(self, pages):
        """Index ``pages`` that are new to the index (saved, with their child relations
        in memory or in the database); pages of types no provider offers, and pages
        not public, are skipped."""

        def documents():
            for page in pages:
                provider = search_provider_for(page)
                if provider is not None and self._searchable(page):
                    yield from provider.documents(page)

        self._indexer.add(documents())


@contextlib.contextmanager
def bulk_indexing(workers=None):
    """Index many new pages (an import) as they are written: yields a ``BulkIndex``,
    whose ``add(pages)`` indexes each batch from the pages still in memory (no second
    reading of thousands of pages) while the texts are analysed in worker processes
    (``workers`` of them, by default one a processor); the rest, the term counts and
    the planner's statistics come when the block ends (``stored`` then says how many
    entries were stored)."""
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        contextlib.ExitStack() as stack,
    ):
        index = BulkIndex(_Indexer(cursor, stack, parallel=True, workers=workers))
        yield index
        index.stored = index._indexer.finish()
    analysis.forget_words()  # what comes after a bulk load (related lists) analyses nothing


def index_pages(pages):
    """Index many pages that are new to the index in bulk; return how many entries
    were stored. Pages of types no provider offers, and pages not public, are
    skipped."""
    with bulk_indexing() as index:
        index.add(pages)
    return index.stored


def unindex_page(page):
    """Remove every entry that links to ``page``; return how many."""
    entries = SearchEntry.objects.filter(page_id=page.pk).values_list("pk", "language")
    return _remove(list(entries))


def rebuild(progress=None):
    """Index everything again from scratch; ``progress(done, total, label)`` reports."""
    backend = backend_for()
    with transaction.atomic(), connection.cursor() as cursor:
        backend.clear(cursor)
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
    # Oldest first (the providers order them): entry ids then follow the dates, which is
    # the order the body-only matches of a very common word are listed in
    # (backends.SqliteText.match).
    sources = [(provider, provider.live_pages()) for provider in search_providers()]
    total = sum(queryset.count() for _provider, queryset in sources)
    done = 0
    for provider, queryset in sources:
        count = queryset.count()
        for start in range(0, count, PAGES_PER_BATCH):
            pages = [p for p in queryset[start : start + PAGES_PER_BATCH] if is_searchable(p)]
            documents = (d for page in pages for d in provider.documents(page))
            index_documents(documents, count_terms=False)
            done += min(PAGES_PER_BATCH, count - start)
            if progress:
                progress(done, total, provider.kind)
    _recount_terms()
    bump_generation_on_commit()  # cached search pages answered from the old index
    return done


def _recount_terms():
    """Count every term's entries anew (after a bulk rebuild)."""
    backend = backend_for()
    counts = Counter()
    languages = dict(SearchEntry.objects.values_list("pk", "language"))
    with connection.cursor() as cursor:
        for pk, language in languages.items():
            for term in backend.terms_of(cursor, pk):
                counts[(language, term[:100])] += 1
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(language=lang, term=term, documents=n)
                for (lang, term), n in counts.items()
            ),
            batch_size=5000,
        )


def has_entry(kind, object_id):
    """Is the thing ``kind`` ``object_id`` in the index?"""
    return SearchEntry.objects.filter(kind=kind, object_id=object_id).exists()


def is_empty():
    return not SearchEntry.objects.exists()
