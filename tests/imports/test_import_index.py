"""An import indexes its pages for search as it writes them (from the pages in memory,
their texts analysed in a worker process): the index it leaves is the one a rebuild
from the saved pages writes."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from iskra.imports.models import ImportedItem
from iskra.news.models import ArticlePage, RelatedArticle
from iskra.search import indexing
from iskra.search.backends import backend_for
from iskra.search.models import SearchEntry, SearchTerm
from tests.factories.old_sites import DleDump

pytestmark = pytest.mark.django_db

TOPICS = [
    "забастовка шахтёры профсоюз требования зарплата смена бригада",
    "выборы депутаты кандидат избирательный участок голосование бюллетень",
    "жилье аренда квартиры общежитие коммунальные тарифы выселение",
]


def dump_of(count, folder):
    rng = random.Random(7)
    dump = DleDump()
    dump.add("category", id=1, parentid=0, posi=1, name="Новости", alt_name="novosti")
    dump.add("category", id=2, parentid=0, posi=2, name="Статьи", alt_name="stati")
    dump.add("users", user_id=1, name="korr", fullname="Собственный корреспондент")
    for number in range(1, count + 1):
        topic = TOPICS[number % 3].split()
        paragraphs = [" ".join(rng.choices(topic, k=30)) for _ in range(3)]
        dump.add(
            "post", id=number, autor="korr", date=f"2021-03-{1 + number % 28:02d} 10:00:00",
            short_story=paragraphs[0], full_story="<br><br>".join(paragraphs),
            title=f"{topic[0].capitalize()}: новость {number}", category=str(1 + number % 2),
            alt_name=f"novost-{number}", approve=0 if number % 50 == 0 else 1,
            tags=f"{topic[1]},{topic[2]}",
        )  # fmt: skip
    return dump.write(folder / "dump.sql")


def index_contents():
    """Each entry's facts and weighted terms, by (kind, object); the term counts."""
    entries = {
        pk: row
        for pk, *row in SearchEntry.objects.values_list(
            "pk", "kind", "object_id", "title", "lead", "section_id", "date", "text"
        )
    }
    with connection.cursor() as cursor:
        weights = {
            tuple(entries[pk][:2]): (tuple(entries[pk][2:]), dict(found))
            for pk, found in backend_for().term_weights(cursor, list(entries))
        }
    return weights, sorted(SearchTerm.objects.values_list("language", "term", "documents"))


def test_the_index_an_import_writes_is_the_one_a_rebuild_writes(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    out = io.StringIO()
    with override_settings(LANGUAGE_CODE="en"):
        # 450 posts: more than two batches of the index, so the worker process is used.
        call_command("import_dle", dump_of(450, tmp_path), "--uploads", uploads, stdout=out)
    imported = index_contents()

    indexing.rebuild()

    assert index_contents() == imported
    articles = ArticlePage.objects.filter(
        pk__in=ImportedItem.objects.filter(container="post").values("page_id")
    )
    live = set(articles.live().values_list("pk", flat=True))
    assert len(live) == 441  # every 50th post was not approved: a draft
    indexed = {object_id for kind, object_id in imported[0] if kind == "article"}
    assert live <= indexed and not indexed & set(articles.not_live().values_list("pk", flat=True))
    # The lists of the import's articles: each full, on its own topic.
    first = articles.get(title="Выборы: новость 1")
    related = RelatedArticle.objects.filter(article=first).order_by("rank")
    assert related.count() == 8
    assert all(r.related.title.startswith("Выборы") for r in related)
