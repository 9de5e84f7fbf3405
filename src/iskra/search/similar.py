"""Likeness between entries: the distinctive terms of an entry (frequent in it, rare in
its language) and the entries that share most of them. ``iskra.news`` ranks related
articles with it."""

import math
from collections import Counter

from . import analysis
from .backends import backend_for
from .models import SearchEntry, SearchTerm
from .queries import Filters

DISTINCTIVE_TERMS = 20
CANDIDATES = 60
TAG_WEIGHT = 0.3  # per shared tag, up to three (a third of the best content match)
CUTOFF = 0.2  # terms in more than this share of the entries say little


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
