"""Search quality on the shared real data: morphology recall and related-article precision.

Morphology recall: pairs of (a query word form, a document that holds only other forms
of the same word), built without the analysers being measured: from each noun and
adjective of the texts, its other case and number forms are generated (Russian: by
ending; Kazakh: plural, case and possessive with vowel harmony and assimilation) and
kept where the texts really hold them. Russian from the RT/NG news, Kazakh from the
SIB-200 sentences. Each
pair is asked through Iskra's index (restricted to the one document) and through an
FTS5 ``unicode61`` table of the raw texts, which is what stock Wagtail search on SQLite
matches (the typed form only).

Related precision: the RT/NG articles (topic labels, their keywords as tags) are indexed;
for a sample, the share of the 5 related articles with the same topic, for Iskra's
ranking, a tags-only ranking and a random one.

    .venv/bin/python bench/search_quality.py [--articles 3371] [--sample 600]

Runs on a throwaway SQLite database. The test suite runs a smaller version
(tests/search/test_quality.py).
"""

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ISKRA_SHARED_DATA") or ROOT.parent / "shared" / "data")
RU_NEWS = DATA / "news" / "ru_news_rt_ng.jsonl.gz"
KK_TEXTS = DATA / "news" / "kk_sib200_topics.jsonl"
WORD = re.compile(r"[^\W\d_]+")
BACK, FRONT = set("аоұы"), set("әөүіе")
VOICELESS = set("пкқстшфхцчщ")


def load_ru(limit):
    with gzip.open(RU_NEWS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return rows[:limit]


def load_kk():
    with KK_TEXTS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _words(text):
    return {w.lower().replace("ё", "е") for w in WORD.findall(text)}


def _pairs_from_groups(groups, documents, count, seed):
    """Return up to ``count`` (query form, document index) pairs: the document holds
    another form of the query's word and not the query form itself."""
    holding = defaultdict(list)
    for index, words in enumerate(documents):
        for word in words:
            holding[word].append(index)
    candidates = []
    for forms in groups:
        forms = sorted(f for f in forms if f in holding)
        for query in forms:
            others = [
                i
                for form in forms
                if form != query
                for i in holding[form]
                if query not in documents[i]
            ]
            if others:
                candidates.append((query, others))
    random.Random(seed).shuffle(candidates)
    chosen = []
    rng = random.Random(seed + 1)
    for query, others in candidates[:count]:
        chosen.append((query, rng.choice(others)))
    return chosen


RU_ENDINGS = {
    # a noun or adjective's ending → the endings of its other case and number forms
    "consonant": "а у ом е ы и ов ам ами ах ей ем",
    "а": "ы и е у ой ою ам ами ах",
    "я": "и е ю ей ям ями ях",
    "о": "а у ом е ам ами ах",
    "ие": "ия ию ием ии иям иями иях",
    "ия": "ии ию ией иям иями иях",
    "ый": "ого ому ым ом ая ую ой ое ые ых ыми",
    "ий": "его ему им ем яя юю ей ее ие их ими ого ому ом ая ую ой ое",
    "ой": "ого ому ым ом ая ую ое ые ых ыми",
}


def russian_forms(word):
    """Return the case and number forms of a Russian noun or adjective (synthesis by
    ending, independent of the analysers measured)."""
    for ending in ("ие", "ия", "ый", "ий", "ой"):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return {stem + e for e in RU_ENDINGS[ending].split()}
    if word[-1] in "ая" or word[-1] == "о":
        return {word[:-1] + e for e in RU_ENDINGS[word[-1]].split()}
    if word[-1] in "бвгджзклмнпрстфхцчшщ":
        return {word + e for e in RU_ENDINGS["consonant"].split()}
    return set()


def russian_pairs(rows, count=200, seed=7):
    """Pairs from the nouns and adjectives of ``rows``: forms generated from each word
    that the texts really hold (no dictionary, no stemmer)."""
    documents = [_words(row["title"] + " " + row["text"]) for row in rows]
    vocabulary = set().union(*documents)
    groups = []
    for word in sorted(vocabulary):  # a set's order changes between runs: one sample
        if len(word) < 5 or not re.fullmatch(r"[а-я]+", word):
            continue
        forms = {f for f in russian_forms(word) if f in vocabulary}
        if len(forms) >= 1:
            groups.append(forms | {word})
    return _pairs_from_groups(groups, documents, count, seed), documents


def _harmony(stem):
    for letter in reversed(stem):
        if letter in BACK:
            return 0
        if letter in FRONT:
            return 1
    return 0


def kazakh_forms(noun):
    """Return the plural, case and possessive forms of a Kazakh noun (synthesis)."""
    last = noun[-1]
    front = _harmony(noun)
    vowel = last in BACK | FRONT | set("иуэюя")
    voiceless = last in VOICELESS

    def pick(back, front_form):
        return front_form if front else back

    if vowel or last in "рйу":
        plural = pick("лар", "лер")
    elif last in "лмнңзж":
        plural = pick("дар", "дер")
    else:
        plural = pick("тар", "тер")
    if vowel or last in "мнң":
        genitive = pick("ның", "нің")
    elif voiceless:
        genitive = pick("тың", "тің")
    else:
        genitive = pick("дың", "дің")
    dative = pick("қа", "ке") if voiceless else pick("ға", "ге")
    if vowel:
        accusative = pick("ны", "ні")
    elif voiceless:
        accusative = pick("ты", "ті")
    else:
        accusative = pick("ды", "ді")
    locative = pick("та", "те") if voiceless else pick("да", "де")
    if voiceless:
        ablative = pick("тан", "тен")
    elif last in "мнң":
        ablative = pick("нан", "нен")
    else:
        ablative = pick("дан", "ден")
    possessive = pick("сы", "сі") if vowel else pick("ы", "і")
    forms = {noun + s for s in (plural, genitive, dative, accusative, locative, ablative)}
    forms.add(noun + possessive)
    plural_stem = noun + plural
    forms |= {plural_stem + pick(s, f) for s, f in (("дың", "дің"), ("ға", "ге"), ("да", "де"))}
    return forms


def kazakh_pairs(rows, count=100, seed=11):
    documents = [_words(row["text"]) for row in rows]
    vocabulary = set().union(*documents)
    groups = []
    for noun in sorted(vocabulary):  # a set's order changes between runs: one sample
        if len(noun) < 3:
            continue
        forms = {f for f in kazakh_forms(noun) if f in vocabulary}
        if forms:
            groups.append(forms | {noun})
    return _pairs_from_groups(groups, documents, count, seed), documents


def setup_django():
    os.environ.setdefault("ISKRA_VAR_DIR", tempfile.mkdtemp(prefix="iskra-bench-quality-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")
    os.environ.setdefault("TASKS_BACKEND", "immediate")  # as the figures before the worker
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def index_texts(texts, language, *, offset, kind="article", dates=None, titles=None):
    """Index raw texts as search entries with object ids ``offset + index``."""
    from iskra.core.contracts import SearchDocument as Document
    from iskra.search.indexing import index_documents

    documents = (
        Document(
            kind=kind,
            object_id=offset + index,
            page_id=offset + index,
            language=language,
            title=titles[index] if titles else "",
            body=text,
            date=dates[index] if dates else None,
        )
        for index, text in enumerate(texts)
    )
    return index_documents(documents)


def iskra_finds(query, object_id, language):
    from iskra.search.backends import backend_for
    from iskra.search.services import parse_query

    parsed = parse_query(query, (language,))
    if not parsed:
        return False
    from iskra.search.models import SearchEntry

    wanted = SearchEntry.objects.filter(object_id=object_id, language=language).values_list(
        "pk", flat=True
    )[0]
    return backend_for().matches(parsed.clauses, wanted)


def stock_recall(texts, pairs):
    """Share of pairs a plain FTS5 unicode61 index of the raw texts finds."""
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61')")
    database.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", enumerate(texts))
    found = 0
    for query, index in pairs:
        row = database.execute(
            "SELECT 1 FROM t WHERE t MATCH ? AND rowid = ?", [f'"{query}"', index]
        ).fetchone()
        found += bool(row)
    return found / len(pairs)


def recall(language, texts, pairs, offset):
    index_texts(texts, language, offset=offset, kind="event")
    found = sum(iskra_finds(query, offset + index, language) for query, index in pairs)
    return found / len(pairs), [p for p in pairs if not iskra_finds(p[0], offset + p[1], language)]


def related_precision(rows, sample, seed=3):
    """Return {(pool, method): precision@5} over ``sample`` articles of ``rows``.

    Pools: "all" ranks among all articles; each source ranks among its own articles (a
    site publishes one outlet's articles: RT's seven rubrics are topics, while NG's fifty
    rubric slugs are partly sections such as «fakty», and the two outlets name the same
    topic differently, e.g. RT «Бывший СССР» and NG «СНГ»).
    """
    import datetime

    from iskra.core.contracts import SearchDocument as Document
    from iskra.search.indexing import index_documents
    from iskra.search.models import SearchEntry
    from iskra.search.similar import similar

    offset = 1_000_000
    dates = [datetime.date.fromisoformat(r["date"]) if r.get("date") else None for r in rows]
    # Title, lead (summary and the dataset's keywords, as an article's tags), body.
    index_documents(
        Document(
            kind="article",
            object_id=offset + i,
            page_id=offset + i,
            language="ru",
            title=r["title"],
            lead=" ".join([r.get("summary") or "", *r.get("keywords", [])]),
            body=r["text"],
            date=dates[i],
        )
        for i, r in enumerate(rows)
    )
    entries = {e.object_id: e for e in SearchEntry.objects.filter(object_id__gte=offset)}
    tags = {offset + i: set(r.get("keywords") or []) for i, r in enumerate(rows)}
    topic = {offset + i: r["topic"] for i, r in enumerate(rows)}
    source = {offset + i: r["source"] for i, r in enumerate(rows)}
    rng = random.Random(seed)
    chosen = rng.sample(sorted(entries), min(sample, len(entries)))
    scores = defaultdict(list)
    everyone = sorted(entries)
    for object_id in chosen:
        own = tags[object_id]
        ours = similar(
            entries[object_id],
            limit=60,
            tags=own,
            tags_of=lambda ids: {i: tags.get(i, set()) for i in ids},
        )
        ours = [i for i in ours if i in entries]  # a test database also holds the demo
        for pool in ("all", source[object_id]):
            members = [
                i for i in everyone if i != object_id and (pool == "all" or source[i] == pool)
            ]
            found = {
                "Iskra": [i for i in ours if pool == "all" or source[i] == pool][:5],
                "tags only": sorted(members, key=lambda i: (-len(own & tags[i]), -i))[:5],
                "random": rng.sample(members, 5),
            }
            for method, five in found.items():
                hits = sum(topic[i] == topic[object_id] for i in five)
                scores[(pool, method)].append(hits / 5)
    return {key: sum(values) / len(values) for key, values in scores.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=3371)
    parser.add_argument("--sample", type=int, default=600)
    args = parser.parse_args()
    if not RU_NEWS.exists() or not KK_TEXTS.exists():
        print(f"skipped: {DATA} does not hold the news corpora")
        return 0
    setup_django()
    rows = load_ru(args.articles)
    ru_pairs, _docs = russian_pairs(rows[:600], count=300)
    ru_texts = [r["title"] + " " + r["text"] for r in rows[:600]]
    ru_recall, ru_missed = recall("ru", ru_texts, ru_pairs, offset=0)
    kk_rows = load_kk()
    kk_pairs_list, _docs = kazakh_pairs(kk_rows, count=200)
    kk_texts = [r["text"] for r in kk_rows]
    kk_recall, kk_missed = recall("kk", kk_texts, kk_pairs_list, offset=500_000)
    print("morphology recall (query form → document holding only other forms):")
    print(
        f"  Russian: {len(ru_pairs)} pairs, Iskra {ru_recall:.1%}, "
        f"stock (FTS5 unicode61) {stock_recall(ru_texts, ru_pairs):.1%}  (target ≥ 95%)"
    )
    print(
        f"  Kazakh: {len(kk_pairs_list)} pairs, Iskra {kk_recall:.1%}, "
        f"stock (FTS5 unicode61) {stock_recall(kk_texts, kk_pairs_list):.1%}  (target ≥ 85%)"
    )
    print("  missed, Russian:", ", ".join(f"{q}" for q, _i in ru_missed[:15]))
    print("  missed, Kazakh:", ", ".join(f"{q}" for q, _i in kk_missed[:15]))
    precision = related_precision(rows, args.sample)
    print(f"related precision@5 on {len(rows)} topic-labelled articles, {args.sample} sampled:")
    for pool in dict.fromkeys(pool for pool, _method in precision):
        figures = ", ".join(
            f"{method} {value:.3f}" for (p, method), value in precision.items() if p == pool
        )
        print(f"  among {pool}: {figures}")
    print("  (target ≥ 0.8)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
