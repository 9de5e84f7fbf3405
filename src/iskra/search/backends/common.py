"""What both full-text tables share: the table name, the column weights, phrase
variants and the recency re-ordering."""

import datetime
import itertools
from collections import Counter

from ..models import SearchEntry

TABLE = "iskra_search_text"
WEIGHTS = (10.0, 4.0, 1.0)  # title, lead, body
MAX_PHRASE_VARIANTS = 16
RECENCY_WINDOW = 40
RANK_ALL = 5000  # matches ranked one by one; more come in two bands (SqliteText.match)


def with_recency(ranked):
    """Re-order [(entry id, score)] with a small bonus for recent entries: × 1.2 for
    today's, falling to × 1 over a year (undated entries × 1)."""
    dates = dict(
        SearchEntry.objects.filter(pk__in=[pk for pk, _s in ranked]).values_list("pk", "date")
    )
    today = datetime.date.today()

    def score(item):
        pk, value = item
        date = dates.get(pk)
        bonus = max(0.0, 1 - (today - date).days / 365) if date else 0.0
        return value * (1 + 0.2 * bonus)

    return sorted(ranked, key=lambda item: (-score(item), -item[0]))


def phrase_variants(words):
    """Return the phrases (lists of terms) a phrase clause stands for, at most 16."""
    return [list(p) for p in itertools.islice(itertools.product(*words), MAX_PHRASE_VARIANTS)]


def weigh_terms(title, lead, body):
    """Return {term: weight} of analysed texts (terms joined by spaces) as the likeness of
    entries counts them: 3 an occurrence in the title, 2 in the lead, 1 in the body;
    terms of two letters or fewer, and numbers, say nothing about likeness."""
    counted = Counter(body.split())  # counted in C: every occurrence once, then again
    for text, weight in ((lead, 2), (title, 3)):
        counted.update(text.split() * weight)
    weights = {term: n for term, n in counted.items() if len(term) > 2 and not term.isdigit()}
    for term in [term for term in weights if len(term) > 100]:  # as the term counts keep it
        weights[term[:100]] = weights.get(term[:100], 0) + weights.pop(term)
    return weights
