"""Search quality on the shared real data (skipped where ../shared/data is absent).

The full measurement is bench/search_quality.py; this keeps its smaller version in the
suite so a change to the analysers that loses recall or related precision fails CI.
"""

import sys
from pathlib import Path

import pytest

from tests.shared_data import shared_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import search_quality as quality  # noqa: E402  (the benchmark's pair builders)

pytestmark = pytest.mark.django_db
DATA = shared_data()
needs_news = pytest.mark.skipif(
    not (DATA / "news" / "ru_news_rt_ng.jsonl.gz").exists(),
    reason=f"{DATA} does not hold the news corpora (.ci/run points ISKRA_SHARED_DATA at them)",
)


@pytest.fixture(autouse=True)
def _data_location(monkeypatch):
    monkeypatch.setattr(quality, "RU_NEWS", DATA / "news" / "ru_news_rt_ng.jsonl.gz")
    monkeypatch.setattr(quality, "KK_TEXTS", DATA / "news" / "kk_sib200_topics.jsonl")


@needs_news
def test_russian_morphology_recall_is_at_least_95_percent():
    rows = quality.load_ru(300)
    pairs, _documents = quality.russian_pairs(rows, count=200)
    texts = [row["title"] + " " + row["text"] for row in rows]

    found, missed = quality.recall("ru", texts, pairs, offset=2_000_000)

    assert len(pairs) == 200
    assert found >= 0.95, missed[:20]
    assert quality.stock_recall(texts, pairs) == 0  # the typed form only: none by design


@needs_news
def test_kazakh_morphology_recall_is_at_least_85_percent():
    rows = quality.load_kk()
    pairs, _documents = quality.kazakh_pairs(rows, count=100)

    found, missed = quality.recall("kk", [row["text"] for row in rows], pairs, offset=3_000_000)

    assert len(pairs) == 100
    assert found >= 0.85, missed[:20]


@needs_news
def test_related_articles_share_the_topic():
    rows = [row for row in quality.load_ru(3371) if row["source"].startswith("RT")][:700]

    precision = quality.related_precision(rows, 120)

    source = rows[0]["source"]
    assert precision[(source, "Iskra")] >= 0.8, precision
    # RT's keyword lists are rich: tags alone do about as well there; never much worse.
    assert precision[(source, "Iskra")] >= precision[(source, "tags only")] - 0.05
    assert precision[(source, "Iskra")] > 3 * precision[(source, "random")]
