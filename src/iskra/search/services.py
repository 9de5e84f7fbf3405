"""Search operations: keep the index up to date, answer queries, rank related articles.

Indexing analyses each document (``analysis``), stores its entry and its terms, and
keeps per-language term counts (``SearchTerm``) for the related-article ranking.
"""

import contextlib
import contextvars
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction

from iskra.core.page_cache import bump_generation_on_commit

from . import analysis
from .backends import backend_for
from .documents import chapter_documents, page_document
from .models import Kind, SearchEntry, SearchTerm

logger = logging.getLogger(__name__)

MAX_QUERY_CHARACTERS = 500
BULK = 1000  # documents indexed at once after which the tables are analysed
MAX_QUERY_WORDS = 12


# Indexing ------------------------------------------------------------------------------

DEFERRED = contextvars.ContextVar("iskra_search_deferred", default=frozenset())


@contextlib.contextmanager
def indexing_deferred(page_id):
    """Publishing ``page_id`` inside this block does not index it: the caller will."""
    token = DEFERRED.set(DEFERRED.get() | {page_id})
    try:
        yield
    finally:
        DEFERRED.reset(token)


def _terms(document):
    language = document.language
    return (
        analysis.analyzed_text(document.title, language),
        analysis.analyzed_text(f"{document.lead} {document.keywords}", language),
        analysis.analyzed_text(document.body, language),
    )


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


def index_documents(documents, *, count_terms=True):
    """Store ``documents`` (replacing their earlier entries); return how many."""
    backend = backend_for()
    stored = 0
    changes = Counter()  # applied once at the end: a term is counted once, not per batch
    with transaction.atomic(), connection.cursor() as cursor:
        for batch in _batches(documents, 200):
            # The same thing twice in a batch: the last one counts.
            batch = list({(d.kind, d.object_id): d for d in batch}.values())
            rows = []
            for document, (entry, created) in zip(batch, _store_entries(batch), strict=True):
                terms = _terms(document)
                if count_terms:
                    old = set() if created else backend.terms_of(cursor, entry.pk)
                    new = set(" ".join(terms).split())
                    for term in new - old:
                        changes[(document.language, term[:100])] += 1
                    for term in old - new:
                        changes[(document.language, term[:100])] -= 1
                facets = f"lang{document.language} kind{document.kind}"
                if document.section_id:
                    facets += f" sec{document.section_id}"
                day = document.date.toordinal() if document.date else 0
                rows.append((entry.pk, *terms, facets, day))
            backend.write(cursor, rows)
            stored += len(rows)
        _count_terms(cursor, changes)
        if stored >= BULK:
            backend.analyze(cursor)  # the planner's statistics after a bulk load
    return stored


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def unindex(kind, object_ids):
    """Remove the entries of ``kind`` for ``object_ids``."""
    backend = backend_for()
    entries = list(
        SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).values_list(
            "pk", "language"
        )
    )
    if not entries:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        changes = Counter()
        for pk, language in entries:
            for term in backend.terms_of(cursor, pk):
                changes[(language, term[:100])] -= 1
        _count_terms(cursor, changes)
        backend.delete(cursor, [pk for pk, _language in entries])
        SearchEntry.objects.filter(pk__in=[pk for pk, _language in entries]).delete()
    return len(entries)


def is_searchable(page):
    """Is ``page`` live and readable by everyone (no view restriction above it)?"""
    return page.live and not page.get_view_restrictions().exists()


def index_page(page):
    """Index an article or event (or remove it when it is no longer public)."""
    document = page_document(page)
    if document is None:
        return 0
    if not is_searchable(page):
        return unindex(document.kind, [page.pk])
    return index_documents([document])


def unindex_page(page):
    removed = unindex(Kind.ARTICLE, [page.pk]) + unindex(Kind.EVENT, [page.pk])
    return removed + unindex_work(page)


def index_work(work):
    """Index a library work's chapters (its old chapters' entries go first)."""
    unindex_work(work)
    if not is_searchable(work):
        return 0
    return index_documents(chapter_documents(work))


def unindex_work(work):
    ids = SearchEntry.objects.filter(kind=Kind.CHAPTER, page_id=work.pk).values_list(
        "object_id", flat=True
    )
    return unindex(Kind.CHAPTER, list(ids))


def rebuild(progress=None):
    """Index everything again from scratch; ``progress(done, total, label)`` reports."""
    from iskra.events.models import EventPage
    from iskra.library.models import WorkPage
    from iskra.news.models import ArticlePage

    backend = backend_for()
    with transaction.atomic(), connection.cursor() as cursor:
        backend.clear(cursor)
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
    # Oldest first: entry ids then follow the dates, which is the order the body-only
    # matches of a very common word are listed in (backends.SqliteText.match).
    sources = [
        ("articles", ArticlePage.objects.live().order_by("date", "pk")),
        ("events", EventPage.objects.live().order_by("start", "pk")),
        ("works", WorkPage.objects.live().order_by("pk")),
    ]
    total = sum(queryset.count() for _label, queryset in sources)
    done = 0
    for label, queryset in sources:
        for start in range(0, queryset.count(), 200):
            pages = [page for page in queryset[start : start + 200] if is_searchable(page)]
            if label == "works":
                documents = [d for work in pages for d in chapter_documents(work)]
            else:
                documents = [page_document(page) for page in pages]
            index_documents((d for d in documents if d), count_terms=False)
            done += min(200, queryset.count() - start)
            if progress:
                progress(done, total, label)
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


# Queries -------------------------------------------------------------------------------

_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass
class Query:
    clauses: list = field(default_factory=list)  # for the backend
    words: list = field(default_factory=list)  # the positive words, for highlighting
    highlight_terms: set = field(default_factory=set)

    def __bool__(self):
        return any(kind != "none" for kind, _value in self.clauses)


def parse_query(raw, languages):
    """Turn what a reader typed into clauses of analysed terms.

    ``"a b"`` is a phrase (a quote left open runs to the end), ``-word`` excludes,
    everything else must appear, in any of its forms in any of ``languages``. Stop words
    are dropped unless the query has nothing else.
    """
    raw = "".join(ch if ch.isprintable() else " " for ch in raw[:MAX_QUERY_CHARACTERS])
    parts = []
    for match in _QUERY_PART.finditer(raw):
        if match.group(2) is not None:
            parts.append(("none" if match.group(1) else "phrase", match.group(2)))
        else:
            parts.append(("none" if match.group(3) else "all", match.group(4)))
    query = Query()
    for strict in (True, False):
        query = Query()
        for kind, text in parts:
            groups = []
            for word in analysis.words(text):
                if strict:
                    variants = analysis.query_variants(word, languages)
                else:  # a query of stop words only: search them after all
                    found = (analysis.term_without_stop_words(word, lang) for lang in languages)
                    variants = [v for v in dict.fromkeys(found) if v]
                if variants:
                    groups.append(variants)
                    if kind != "none":
                        query.words.append(word)
                        query.highlight_terms.update(variants)
            if not groups:
                continue
            if kind == "phrase" and len(groups) > 1:
                query.clauses.append(("phrase", groups))
            else:
                query.clauses += [("none" if kind == "none" else "all", g) for g in groups]
            if len(query.words) >= MAX_QUERY_WORDS:
                break
        if query:
            break
    return query


@dataclass
class Filters:
    languages: tuple = analysis.LANGUAGES
    kinds: tuple = ()
    section_id: int | None = None
    date_from: object = None
    date_to: object = None

    def sql(self):
        conditions, params = [], []
        conditions.append("e.language IN (" + ", ".join(["%s"] * len(self.languages)) + ")")
        params += list(self.languages)
        if self.kinds:
            conditions.append("e.kind IN (" + ", ".join(["%s"] * len(self.kinds)) + ")")
            params += list(self.kinds)
        if self.section_id:
            conditions.append("e.section_id = %s")
            params.append(self.section_id)
        if self.date_from:
            conditions.append("e.date >= %s")
            params.append(self.date_from)
        if self.date_to:
            conditions.append("e.date <= %s")
            params.append(self.date_to)
        return " AND ".join(conditions), params


def search(query, filters, *, limit=20, offset=0):
    """Return ([SearchEntry with .score], total) for a parsed ``query``."""
    if not query:
        return [], 0
    ranked, total = backend_for().match(query.clauses, filters, limit=limit, offset=offset)
    entries = SearchEntry.objects.in_bulk([pk for pk, _score in ranked])
    results = []
    for pk, score in ranked:
        if pk in entries:
            entries[pk].score = score
            results.append(entries[pk])
    return results, total


def count(query, filters):
    """Return how many entries match (for the "try the other language" hint)."""
    if not query:
        return 0
    return backend_for().match(query.clauses, filters, limit=0, offset=0)[1]


# Snippets ------------------------------------------------------------------------------

_WORD_SPAN = re.compile(r"[^\W_]+", re.UNICODE)
SNIPPET_SCAN = 30_000  # characters searched for the first match


def snippet(text, terms, language, *, width=240):
    """Return [(text, is_match)] pieces of ``text`` around the first place where a word
    whose term is in ``terms`` appears, for a highlighted snippet."""
    text = text or ""
    matches = []
    for match in _WORD_SPAN.finditer(text, 0, SNIPPET_SCAN):
        if analysis.term_of(match.group(0), language) in terms:
            matches.append((match.start(), match.end()))
        if len(matches) >= 12 or (matches and match.start() - matches[0][0] > width):
            break
    if not matches:
        return [(text[:width] + ("…" if len(text) > width else ""), False)]
    start = max(0, matches[0][0] - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < matches[0][0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > matches[-1][1] - 1 and space > start else end
    pieces = [("…", False)] if start else []
    cursor = start
    for match_start, match_end in matches:
        if match_start >= end:
            break
        pieces.append((text[cursor:match_start], False))
        pieces.append((text[match_start:match_end], True))
        cursor = match_end
    pieces.append((text[cursor:end] + ("…" if end < len(text) else ""), False))
    return [(piece, is_match) for piece, is_match in pieces if piece]


# Related articles ----------------------------------------------------------------------

DISTINCTIVE_TERMS = 20
CANDIDATES = 60
TAG_WEIGHT = 0.3  # per shared tag, up to three (a third of the best content match)
CUTOFF = 0.2  # terms in more than this share of the entries say little


def distinctive_terms(entry, count=None):
    """Return the terms that best tell what ``entry`` is about: frequent in it (title and
    lead count three and two times), rare in the other entries of its language."""
    import math

    weights = Counter()
    for text, weight in ((entry.title, 3), (entry.lead, 2), (entry.text, 1)):
        for term in analysis.analyze(text, entry.language):
            if len(term) > 2 and not term.isdigit():
                weights[term[:100]] += weight
    if not weights:
        return []
    documents = SearchEntry.objects.filter(language=entry.language).count() or 1
    frequencies = dict(
        SearchTerm.objects.filter(language=entry.language, term__in=list(weights)).values_list(
            "term", "documents"
        )
    )
    scored = []
    for term, weight in weights.items():
        frequency = frequencies.get(term, 1)
        if frequency < 2 or frequency > documents * CUTOFF:
            continue  # only here, or in every fifth entry: says nothing about likeness
        scored.append((weight * math.log(documents / frequency), term))
    return [term for _score, term in sorted(scored, reverse=True)[: count or DISTINCTIVE_TERMS]]


def similar(entry, *, limit, tags=None, tags_of=None, kinds=(Kind.ARTICLE,)):
    """Return the object ids of up to ``limit`` entries most like ``entry``, best first.

    Content similarity (the entries sharing most of its distinctive terms, ranked by the
    index) counts most; shared tags and closeness in time break near ties. ``tags`` is
    the entry's set of tags and ``tags_of(object_ids)`` returns {object id: tag set}.
    """
    terms = distinctive_terms(entry)
    if not terms:
        return []
    candidates = backend_for().related(
        terms,
        Filters(languages=(entry.language,), kinds=tuple(kinds)),
        exclude=entry.pk,
        limit=CANDIDATES,
    )
    if not candidates:
        return []
    best = max(score for _pk, score in candidates) or 1
    rows = SearchEntry.objects.in_bulk([pk for pk, _score in candidates])
    others = {pk: rows[pk] for pk, _score in candidates if pk in rows}
    their_tags = tags_of([e.object_id for e in others.values()]) if tags and tags_of else {}
    ranked = []
    for pk, score in candidates:
        other = others.get(pk)
        if other is None:
            continue
        shared = len(tags & their_tags.get(other.object_id, set())) if tags else 0
        closeness = 0.0
        if entry.date and other.date:
            closeness = max(0.0, 1 - abs((entry.date - other.date).days) / 365)
        ranked.append(
            (score / best + TAG_WEIGHT * min(shared, 3) + 0.05 * closeness, other.object_id)
        )
    ranked.sort(key=lambda item: (-item[0], -item[1]))
    return [object_id for _score, object_id in ranked[:limit]]
