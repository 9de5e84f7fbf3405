"""Likeness between entries: the distinctive terms of an entry (frequent in it, rare in
its language) and the entries that share most of them. ``iskra.news`` ranks related
articles with it."""

import itertools
import math
from array import array
from collections import Counter

import numpy
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
    analysed again), read once: each entry's terms and weights go into flat arrays
    (numpy), from which come the distinctive terms of the wanted entries, then the
    postings of those terms (who has which, how strongly), then each wanted entry's
    scores against all others in one vector sum.
    """
    wanted = set(object_ids)
    ranked = {}
    languages = SearchEntry.objects.filter(kind=kind, object_id__in=wanted).values_list(
        "language", flat=True
    )
    for language in sorted(set(languages)):
        ranked.update(_similar_in(kind, language, wanted, limit, tags_of, progress))
    return ranked


class _Terms:
    """The terms of a language's entries of one kind, as flat arrays: entry ``i`` has
    the terms ``ids[bounds[i]:bounds[i + 1]]`` (numbers into the vocabulary, the terms
    that can tell entries apart) with their weights (``weights``, title and lead
    counting more)."""

    def __init__(self, language, total, entry_pks):
        # Terms in one entry only, or in more than a fifth, say nothing about likeness;
        # numbered in alphabetical order, so that ties break as the terms do.
        vocabulary = {}
        idf = array("d")
        eligible = SearchTerm.objects.filter(
            language=language, documents__gte=2, documents__lte=total * CUTOFF
        ).order_by("term")
        for term, documents in eligible.values_list("term", "documents").iterator(5000):
            vocabulary[term] = len(idf)
            idf.append(math.log(total / documents))
        self.idf = numpy.frombuffer(idf, dtype=numpy.float64) if idf else numpy.zeros(0)
        ids, weights, bounds, order = array("i"), array("i"), array("q", [0]), []
        number = vocabulary.get
        backend = backend_for()
        with connection.cursor() as cursor:
            for pk, found in backend.term_weights(cursor, entry_pks):
                for term, weight in found.items():
                    position = number(term)
                    if position is not None:
                        ids.append(position)
                        weights.append(weight)
                bounds.append(len(ids))
                order.append(pk)
        del vocabulary
        self._arrays = (ids, weights)  # the buffers of the two arrays below
        self.pks = order  # entry i's primary key
        self.ids = numpy.frombuffer(ids, dtype=numpy.int32) if ids else numpy.zeros(0, "i4")
        self.weights = (
            numpy.frombuffer(weights, dtype=numpy.int32) if weights else numpy.zeros(0, "i4")
        )
        self.bounds = numpy.frombuffer(bounds, dtype=numpy.int64)

    def distinctive(self, entry):
        """The numbers of entry ``entry``'s distinctive terms (weight × rarity), best
        first, ties to the later term."""
        start, end = self.bounds[entry], self.bounds[entry + 1]
        ids = self.ids[start:end]
        scores = self.weights[start:end] * self.idf[ids]
        best = numpy.lexsort((-ids, -scores))[:DISTINCTIVE_TERMS]
        return ids[best]

    def postings(self, terms):
        """For the term numbers ``terms``: (entries, strengths, starts) with the entries
        having term ``t`` at ``entries[starts[t]:starts[t + 1]]`` and how strongly
        (1 + log of its weight) in ``strengths``; other terms have none. Frees the
        entries' own arrays on the way (each step's copy is made before the next, so
        that the largest moment holds about three postings' worth, not six)."""
        chosen = numpy.zeros(len(self.idf), dtype=bool)
        chosen[terms] = True
        keep = chosen[self.ids]
        term_of = self.ids[keep]
        weight_of = self.weights[keep]
        entry_of = numpy.repeat(
            numpy.arange(len(self.pks), dtype=numpy.int32), numpy.diff(self.bounds)
        )[keep]
        del keep, self.ids, self.weights, self._arrays
        starts = numpy.zeros(len(self.idf) + 1, dtype=numpy.int64)
        numpy.cumsum(numpy.bincount(term_of, minlength=len(self.idf)), out=starts[1:])
        order = numpy.argsort(term_of, kind="stable")
        del term_of
        entries = entry_of[order]
        del entry_of
        strengths = weight_of[order].astype(numpy.float32)
        del weight_of, order
        numpy.log(strengths, out=strengths)
        strengths += 1
        return entries, strengths, starts


def _similar_in(kind, language, wanted, limit, tags_of, progress):
    rows = list(
        SearchEntry.objects.filter(kind=kind, language=language)
        .order_by("pk")
        .values_list("pk", "object_id", "date")
    )
    total = SearchEntry.objects.filter(language=language).count() or 1
    terms = _Terms(language, total, [pk for pk, _object_id, _date in rows])
    object_of = {pk: object_id for pk, object_id, _date in rows}
    objects = numpy.array([object_of[pk] for pk in terms.pks], dtype=numpy.int64)
    dates = {object_id: date for _pk, object_id, date in rows}
    del rows, object_of
    wanted_entries = [i for i, object_id in enumerate(objects.tolist()) if object_id in wanted]
    distinctive = {i: terms.distinctive(i) for i in wanted_entries}
    chosen = numpy.unique(numpy.concatenate([numpy.zeros(0, "i4"), *distinctive.values()]))
    entries, strengths, starts = terms.postings(chosen)
    idf = terms.idf
    del terms
    tags = _all_tags(tags_of, list(dates)) if tags_of else {}
    count = len(objects)

    def rank(chunk):
        ranked = {}
        for entry in chunk:
            found = distinctive[entry]
            if not len(found):
                ranked[int(objects[entry])] = []
                continue
            # Who shares which of its terms, each posting weighted by the term's rarity.
            spans = [slice(starts[t], starts[t + 1]) for t in found.tolist()]
            others = numpy.concatenate([entries[span] for span in spans])
            values = numpy.concatenate(
                [strengths[span] * idf[t] for span, t in zip(spans, found.tolist(), strict=True)]
            )
            scores = numpy.bincount(others, weights=values, minlength=count)
            scores[entry] = 0.0
            ranked[int(objects[entry])] = _final_order(
                int(objects[entry]), _candidates(scores, objects), dates, limit, tags
            )
        return ranked

    # Spread over the processors, each worker forked with the arrays it reads.
    ranked = {}
    for part in forked_map(rank, itertools.batched(wanted_entries, RANK_CHUNK)):
        ranked.update(part)
        if progress:
            progress(len(ranked))
    return ranked


def _candidates(scores, objects):
    """The best ``CANDIDATES`` of ``scores`` (an entry's score against each entry), as
    [(object id, score)], best first, ties to the larger object id; only entries that
    share a term."""
    # Among the entries that share a term only: selecting among the thousands of zeros
    # too took numpy seven times as long.
    top = numpy.flatnonzero(scores)
    if len(top) > CANDIDATES:
        top = top[numpy.argpartition(scores[top], -CANDIDATES)[-CANDIDATES:]]
    order = numpy.lexsort((-objects[top], -scores[top]))
    return list(zip(objects[top][order].tolist(), scores[top][order].tolist(), strict=True))


def _all_tags(tags_of, object_ids):
    tags = {}
    for start in range(0, len(object_ids), 5000):
        tags.update(tags_of(object_ids[start : start + 5000]))
    return tags


def _final_order(object_id, candidates, dates, limit, tags):
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
