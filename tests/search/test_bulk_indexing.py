"""Bulk indexing (an import of thousands of articles): texts analysed in forked worker
processes give the same index as one process; private pages stay out; an article's
text is read without loading its pictures."""

import gc
import random
import threading

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from iskra.core import parallel
from iskra.core.contracts import SearchDocument, stream_text
from iskra.news.models import ArticlePage
from iskra.search import indexing
from iskra.search.backends import backend_for
from iskra.search.models import SearchEntry, SearchTerm
from tests.factories import core as core_factory
from tests.factories import news as news_factory

pytestmark = pytest.mark.django_db

WORDS = [
    "рабочие",
    "завод",
    "забастовка",
    "профсоюз",
    "зарплата",
    "собрание",
    "шахтёры",
    "митинг",
    "требования",
    "договор",
    "смена",
    "бригада",
    "цех",
    "металлурги",
    "горняки",
    "делегаты",
    "съезд",
    "резолюция",
]


def documents(count, seed):
    rng = random.Random(seed)
    return [
        SearchDocument(
            kind="article",
            object_id=900_000 + number,
            page_id=900_000 + number,
            language="ru",
            title=" ".join(rng.choices(WORDS, k=5)),
            lead=" ".join(rng.choices(WORDS, k=12)),
            body=" ".join(rng.choices(WORDS, k=200)),
        )
        for number in range(count)
    ]


def index_contents():
    """Each entry's weighted terms (through the backend, SQLite's or PostgreSQL's), and
    the per-language term counts."""
    object_of = {
        pk: (kind, object_id)
        for pk, kind, object_id in SearchEntry.objects.values_list("pk", "kind", "object_id")
    }
    with connection.cursor() as cursor:
        weights = {
            object_of[pk]: dict(found)
            for pk, found in backend_for().term_weights(cursor, list(object_of))
        }
    terms = sorted(SearchTerm.objects.values_list("language", "term", "documents"))
    return weights, terms


def test_texts_analysed_in_workers_give_the_index_of_one_process(monkeypatch):
    if parallel.processes() < 2:
        pytest.skip("one processor here: bulk indexing runs in one process anyway")
    batch = documents(650, seed=1)  # four batches of 200: the workers start at the second
    before = SearchEntry.objects.count()  # what the test database was made with

    assert indexing.index_documents(batch, parallel=True) == 650
    in_workers = index_contents()
    assert indexing.unindex("article", [d.object_id for d in batch]) == 650
    assert SearchEntry.objects.count() == before
    monkeypatch.setenv("BULK_PROCESSES", "1")
    assert indexing.index_documents(batch, parallel=True) == 650

    assert index_contents() == in_workers
    assert len(in_workers[0]) == before + 650
    assert in_workers[0][("article", 900_000)]  # the documents' terms are there, weighted
    counts = {term: n for language, term, n in in_workers[1] if language == "ru"}
    assert 600 < counts["забастовк"] <= 650 + before  # once a document that has it


def test_forked_map_keeps_the_order_and_raises_a_workers_error():
    squares = list(parallel.forked_map(lambda chunk: [n * n for n in chunk], [[1, 2], [3], [4]]))
    assert squares == [[1, 4], [9], [16]]
    assert gc.get_freeze_count() == 0  # frozen for the fork only, in this process

    def frozen_in_worker(chunk):
        return [gc.get_freeze_count() > 0]

    if parallel.processes() > 1:  # forked workers: what they inherited stays frozen there
        assert list(parallel.forked_map(frozen_in_worker, [[1], [2]])) == [[True], [True]]

    def fails(chunk):
        raise ValueError(f"bad chunk {chunk}")

    with pytest.raises(ValueError, match="bad chunk"):
        list(parallel.forked_map(fails, [[1], [2]]))


def test_bulk_work_stays_in_a_request_thread():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(parallel.processes()))
    thread.start()
    thread.join()

    assert seen == [1]


def test_bulk_index_leaves_out_pages_under_a_restriction():
    members = news_factory.section(title="Для членов профсоюза")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    hidden = news_factory.article(section=members, title="Закрытое заседание комитета")
    shown = news_factory.article(section=news_factory.section(), title="Открытое заседание")
    SearchEntry.objects.filter(object_id__in=[hidden.pk, shown.pk]).delete()

    indexing.index_pages(ArticlePage.objects.filter(pk__in=[hidden.pk, shown.pk]))

    indexed = SearchEntry.objects.filter(object_id__in=[hidden.pk, shown.pk])
    assert list(indexed.values_list("title", flat=True)) == ["Открытое заседание"]


def test_stream_text_reads_every_text_and_loads_no_picture(django_assert_num_queries):
    picture = core_factory.image()
    article = news_factory.article(
        section=news_factory.section(),
        title="Итоги конференции",
        body=[
            {"type": "paragraph", "value": "<p>Делегаты <b>приняли</b> резолюцию.</p>"},
            {"type": "heading", "value": {"text": "Выступления", "level": "h2"}},
            {"type": "quote", "value": {"text": "Единство — наша сила", "attribution": "Ли"}},
            {"type": "image", "value": {"image": picture.pk, "caption": "Зал съезда"}},
            {
                "type": "collapsible",
                "value": {"title": "Полный текст", "text": "<p>Пункт первый.</p>"},
            },
        ],
    )
    stored = ArticlePage.objects.get(pk=article.pk)

    with django_assert_num_queries(0):
        text = stream_text(stored, "body")

    for words in (
        "Делегаты приняли резолюцию.",
        "Выступления",
        "Единство — наша сила",
        "Ли",
        "Зал съезда",
        "Полный текст",
        "Пункт первый.",
    ):
        assert words in text
    assert "<" not in text and str(picture.pk) not in text.split()
