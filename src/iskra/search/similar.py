"""Likeness between entries: the distinctive terms of an entry (frequent in it, rare in
its language) and the entries that share most of them. ``iskra.news`` ranks related
articles with it."""

import heapq
import itertools
import math
from array import array
from collections import Counter
from operator import itemgetter

from django.db import connection

from iskra.core.parallel import forked_map

from . import analysis
from .backends import backend_for
from .models import SearchEntry, SearchTerm
from .queries import Filters

DISTINCTIVE_TERMS = 20
CANDIDATES = 60
TAG_WEIGHT = 0.3  # per shared tag, up to three (a third of the best content match)
CUTOFF = 0.2  # terms in more than this share of the entries say little
RANK_CHUNK = 500  # articles ranked by a worker at a time


def distinctive_terms(entry, count=None):
    """Return the terms that best tell what ``entry`` is about: frequent in it (title and
    lead count three and two times), rare in the other entries of its language."""
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


def similar(entry, *, limit, tags=None, tags_of=None, kinds=None):
    """Return the object ids of up to ``limit`` entries most like ``entry``, best first.

    Content similarity (the entries sharing most of its distinctive terms, ranked by the
    index) counts most; shared tags and closeness in time break near ties. ``tags`` is
    the entry's set of tags and ``tags_of(object_ids)`` returns {object id: tag set};
    ``kinds`` limits the candidates (by default to the entry's own kind).
    """
    terms = distinctive_terms(entry)
    if not terms:
        return []
    candidates = backend_for().related(
        terms,
        Filters(languages=(entry.language,), kinds=tuple(kinds or (entry.kind,))),
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


def similar_to(kind, object_id, *, limit, tags=None, tags_of=None):
    """Return the object ids of up to ``limit`` things of ``kind`` most like the thing
    ``kind`` ``object_id``, best first; None when that thing is not in the index."""
    entry = SearchEntry.objects.filter(kind=kind, object_id=object_id).first()
    if entry is None:
        return None
    return similar(entry, limit=limit, tags=tags, tags_of=tags_of)


def similar_many(kind, object_ids, *, limit, tags_of=None, progress=None):
    """Return ``{object id: [ids of the most like things, best first]}`` for many things
    of ``kind`` at once (after an import of thousands).

    The same likeness as ``similar`` (shared distinctive terms, then shared tags and
    closeness in time), computed in memory over the entries of each language instead
    of one index query per thing. The terms come as the index stored them (nothing is
    analysed again): first the distinctive terms of the wanted entries, then one pass
    over all entries of the language that notes who has which of those terms.
    """
    wanted = set(object_ids)
    ranked = {}
    languages = SearchEntry.objects.filter(kind=kind, object_id__in=wanted).values_list(
        "language", flat=True
    )
    for language in sorted(set(languages)):
        ranked.update(_similar_in(kind, language, wanted, limit, tags_of, progress))
    return ranked


def _similar_in(kind, language, wanted, limit, tags_of, progress):
    rows = list(
        SearchEntry.objects.filter(kind=kind, language=language).values_list(
            "pk", "object_id", "date"
        )
    )
    object_of = {pk: object_id for pk, object_id, _date in rows}
    dates = {object_id: date for _pk, object_id, date in rows}
    total = SearchEntry.objects.filter(language=language).count() or 1
    frequencies = dict(
        SearchTerm.objects.filter(language=language, documents__gte=2).values_list(
            "term", "documents"
        )
    )
    backend = backend_for()
    idf, distinctive = {}, {}
    with connection.cursor() as cursor:
        wanted_entries = [pk for pk, object_id, _date in rows if object_id in wanted]
        for pk, weights in backend.term_weights(cursor, wanted_entries):
            scored = []
            for term, weight in weights.items():
                frequency = frequencies.get(term, 1)
                if frequency < 2 or frequency > total * CUTOFF:
                    continue
                idf[term] = math.log(total / frequency)
                scored.append((weight * idf[term], term))
            chosen = heapq.nlargest(DISTINCTIVE_TERMS, scored)
            distinctive[object_of[pk]] = [term for _score, term in chosen]
        del frequencies
        # Who has which distinctive term, and how strongly (title and lead count more).
        # Two flat arrays a term (ids, weights): a list of tuples would take 100 bytes a
        # posting, about 200 MB for 20,000 articles.
        postings = {
            term: (array("q"), array("d")) for terms in distinctive.values() for term in terms
        }
        for pk, weights in backend.term_weights(cursor, object_of):
            object_id = object_of[pk]
            for term in postings.keys() & weights.keys():
                ids, strengths = postings[term]
                ids.append(object_id)
                strengths.append(1 + math.log(weights[term]))
    tags = _all_tags(tags_of, list(dates)) if tags_of else {}

    def rank(object_ids):
        ranked = {}
        for object_id in object_ids:
            scores = {}
            get = scores.get
            for term in distinctive[object_id]:
                weight_of_term = idf[term]
                ids, strengths = postings[term]
                for other, weight in zip(ids, strengths, strict=True):
                    scores[other] = get(other, 0.0) + weight_of_term * weight
            scores.pop(object_id, None)
            ranked[object_id] = _final_order(object_id, scores, dates, limit, tags)
        return ranked

    # The scoring is most of the work, and each article's is its own: spread over the
    # processors, each worker forked with the postings it reads.
    ranked = {}
    objects = list(distinctive)
    for part in forked_map(rank, itertools.batched(objects, RANK_CHUNK)):
        ranked.update(part)
        if progress:
            progress(len(ranked))
    return ranked


def _all_tags(tags_of, object_ids):
    tags = {}
    for start in range(0, len(object_ids), 5000):
        tags.update(tags_of(object_ids[start : start + 5000]))
    return tags


def _final_order(object_id, scores, dates, limit, tags):
    candidates = heapq.nlargest(CANDIDATES, scores.items(), key=itemgetter(1))
    if not candidates:
        return []
    best = candidates[0][1] or 1
    own = tags.get(object_id, set())
    date = dates.get(object_id)
    ranked = []
    for other, score in candidates:
        shared = len(own & tags.get(other, set()))
        closeness = 0.0
        if date and dates.get(other):
            closeness = max(0.0, 1 - abs((date - dates[other]).days) / 365)
        ranked.append((score / best + TAG_WEIGHT * min(shared, 3) + 0.05 * closeness, other))
    ranked.sort(key=lambda item: (-item[0], -item[1]))
    return [other for _score, other in ranked[:limit]]
