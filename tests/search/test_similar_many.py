"""Related lists for many entries at once (``similar_many``, after an import): the
vectorised ranking gives the lists of the likeness it documents, computed here the
plain way, and the same lists in worker processes as in one."""

import math
import random
from collections import Counter

import pytest
from django.db import connection

from iskra.core import parallel
from iskra.core.contracts import SearchDocument
from iskra.search import indexing, similar
from iskra.search.backends import backend_for
from iskra.search.models import SearchEntry, SearchTerm

pytestmark = pytest.mark.django_db

FIRST = 800_000


def corpus(count, seed=3):
    """Articles on a few topics: each draws most words from its topic's vocabulary."""
    rng = random.Random(seed)
    syllables = ["ра", "бо", "чи", "зав", "ком", "про", "лет", "ар", "сою", "ми", "тинг", "ка"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(3, 4))) for _ in range(600)})
    topics = [rng.sample(words, 40) for _ in range(6)]
    documents = []
    for number in range(count):
        topic = topics[number % len(topics)]
        text = [rng.choice(topic if rng.random() < 0.6 else words) for _ in range(150)]
        documents.append(
            SearchDocument(
                kind="article",
                object_id=FIRST + number,
                page_id=FIRST + number,
                language="ru",
                title=" ".join(rng.choices(topic, k=4)),
                lead=" ".join(rng.choices(words, k=10)),
                body=" ".join(text),
            )
        )
    return documents


def plain_ranking(object_ids, limit):
    """The likeness as ``similar_many`` documents it, one entry at a time in dicts."""
    rows = dict(
        SearchEntry.objects.filter(kind="article", language="ru").values_list("pk", "object_id")
    )
    total = SearchEntry.objects.filter(language="ru").count()
    documents = dict(SearchTerm.objects.filter(language="ru").values_list("term", "documents"))
    with connection.cursor() as cursor:
        weights = {rows[pk]: found for pk, found in backend_for().term_weights(cursor, list(rows))}

    def idf(term):
        frequency = documents.get(term, 1)
        if frequency < 2 or frequency > total * similar.CUTOFF:
            return None
        return math.log(total / frequency)

    ranked = {}
    for object_id in object_ids:
        scored = [
            (weight * idf(term), term)
            for term, weight in weights[object_id].items()
            if idf(term) is not None
        ]
        distinctive = [
            term for _s, term in sorted(scored, reverse=True)[: similar.DISTINCTIVE_TERMS]
        ]
        scores = Counter()
        for other, found in weights.items():
            if other != object_id:
                for term in distinctive:
                    if term in found:
                        scores[other] += idf(term) * (1 + math.log(found[term]))
        best = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))
        ranked[object_id] = [other for other, _score in best[:limit]]
    return ranked


def test_the_vectorised_ranking_gives_the_plain_rankings_lists(monkeypatch):
    monkeypatch.setenv("BULK_PROCESSES", "1")
    documents = corpus(240)
    indexing.index_documents(documents)
    wanted = [d.object_id for d in documents[:60]]

    found = similar.similar_many("article", wanted, limit=8)

    assert found == plain_ranking(wanted, 8)
    assert all(len(found[object_id]) == 8 for object_id in wanted)
    assert all(object_id not in found[object_id] for object_id in wanted)
    # Like with like: most of an article's related articles are on its topic.
    same_topic = sum(
        (other - FIRST) % 6 == (object_id - FIRST) % 6
        for object_id in wanted
        for other in found[object_id]
    )
    assert same_topic > 0.8 * 8 * len(wanted)


def test_workers_give_the_lists_of_one_process(monkeypatch):
    if parallel.processes() < 2:
        pytest.skip("one processor here: the ranking runs in one process anyway")
    monkeypatch.setattr(similar, "RANK_CHUNK", 50)  # several chunks, so workers are used
    documents = corpus(300, seed=5)
    indexing.index_documents(documents)
    wanted = [d.object_id for d in documents]

    in_workers = similar.similar_many("article", wanted, limit=8)
    monkeypatch.setenv("BULK_PROCESSES", "1")

    assert similar.similar_many("article", wanted, limit=8) == in_workers
    assert len(in_workers) == 300


def test_an_entry_with_no_distinctive_term_gets_an_empty_list(monkeypatch):
    monkeypatch.setenv("BULK_PROCESSES", "1")
    documents = corpus(30)
    lonely = SearchDocument(
        kind="article",
        object_id=FIRST + 999,
        page_id=FIRST + 999,
        language="ru",
        title="Уникальнейшее",
        body="неповторимое",
    )
    indexing.index_documents([*documents, lonely])

    found = similar.similar_many("article", [lonely.object_id, FIRST], limit=5)

    assert found[lonely.object_id] == []
    assert len(found[FIRST]) == 5
