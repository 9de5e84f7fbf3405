"""The static copy's search: recall on the search-quality pairs, and what a query
downloads from the index of a 50,000-document site.

Recall: the pairs of ``bench/search_quality.py`` (a query word form, a document that
holds only other forms of the word; Russian from the RT/NG news, Kazakh from SIB-200)
are asked of the live search (Iskra's index, as that benchmark does) and of the static
index the copy carries, through the copy's own script (``static_search_engine.js``,
run by Node with ``bench/mirror_search.js``): found anywhere in the results, and found
among the first page's 20.

Size: ``--documents`` search entries (Russian news texts and Kazakh sentences, repeated
with other titles and dates to reach the number) are written as a static index; each
pair's query is then run cold (nothing cached) and the bytes it reads are counted:
meta.json, the shards of its words and the 20 result files of the first page.

    .venv/bin/python bench/mirror_search.py [--documents 50000]

Needs Node (Debian: nodejs). Runs on a throwaway SQLite database.
"""

import argparse
import datetime
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_quality as quality  # noqa: E402  (the pairs and the live side, shared)

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "src" / "iskra" / "search" / "static" / "search" / "js" / "static_search_engine.js"
HARNESS = Path(__file__).resolve().parent / "mirror_search.js"
BUDGET = 300_000


def run_queries(folder, queries):
    """Run ``queries`` through the copy's engine under Node; return one dict each."""
    lines = "\n".join(json.dumps(q, ensure_ascii=False) for q in queries)
    result = subprocess.run(
        ["node", str(HARNESS), str(ENGINE), str(folder)],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def static_index(folder):
    from iskra.search.static_index import write_static_index

    started = time.perf_counter()
    report, cache = write_static_index(folder, url_of=lambda page_id, path: f"d/{page_id}/")
    return report, cache, time.perf_counter() - started


def numbers_of(cache, object_ids, kind):
    entries = cache["entries"]
    return [entries[f"{kind}:{pk}"][0] for pk in object_ids if f"{kind}:{pk}" in entries]


def recall(folder):
    """Live and static recall on the same pairs (as bench/search_quality.py builds them)."""
    rows = quality.load_ru(600)
    ru_pairs, _docs = quality.russian_pairs(rows, count=300)
    ru_texts = [r["title"] + " " + r["text"] for r in rows]
    kk_rows = quality.load_kk()
    kk_pairs, _docs = quality.kazakh_pairs(kk_rows, count=200)
    kk_texts = [r["text"] for r in kk_rows]
    live = {
        "ru": quality.recall("ru", ru_texts, ru_pairs, offset=0)[0],
        "kk": quality.recall("kk", kk_texts, kk_pairs, offset=500_000)[0],
    }
    _report, cache, _seconds = static_index(folder)
    figures = {}
    for language, pairs, offset in (("ru", ru_pairs, 0), ("kk", kk_pairs, 500_000)):
        queries = [
            {
                "query": query,
                "languages": [language],
                "wanted": numbers_of(cache, [offset + index], "event"),
            }
            for query, index in pairs
        ]
        answers = run_queries(folder, queries)
        figures[language] = {
            "pairs": len(pairs),
            "live": live[language],
            "static": sum(a["rank"] >= 0 for a in answers) / len(answers),
            "static_first_page": sum(0 <= a["rank"] < 20 for a in answers) / len(answers),
        }
    return figures, [q for q, _i in ru_pairs] + [q for q, _i in kk_pairs]


def fill(count):
    """Add search entries up to ``count`` (news texts and Kazakh sentences repeated)."""
    from iskra.search.models import SearchEntry

    rows = quality.load_ru(3371)
    kk_rows = quality.load_kk()
    have = SearchEntry.objects.count()
    start = datetime.date(2015, 1, 1)
    batch = []
    for number in range(max(0, count - have)):
        kazakh = number % 10 == 9
        row = kk_rows[number % len(kk_rows)] if kazakh else rows[number % len(rows)]
        batch.append(
            SearchEntry(
                kind="article",
                object_id=1_000_000 + number,
                page_id=1_000_000 + number,
                language="kk" if kazakh else "ru",
                date=start + datetime.timedelta(hours=number * 3),
                title=f"{row['title']} ({number})",
                lead=row.get("summary") or "",
                text=row["text"],
            )
        )
        if len(batch) == 2000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    args = parser.parse_args()
    if not quality.RU_NEWS.exists() or not quality.KK_TEXTS.exists():
        print(f"skipped: {quality.DATA} does not hold the news corpora")
        return 0
    if not shutil.which("node"):
        print("skipped: the benchmark runs the copy's script with Node (apt-get install nodejs)")
        return 0
    quality.setup_django()
    work = Path(tempfile.mkdtemp(prefix="iskra-bench-mirror-search-"))
    figures, queries = recall(work / "small")
    print("recall on the search-quality pairs (found anywhere / on the first page of 20):")
    for language, row in figures.items():
        print(
            f"  {language}: {row['pairs']} pairs, live {row['live']:.1%}, static copy "
            f"{row['static']:.1%} / {row['static_first_page']:.1%}"
        )
    fill(args.documents)
    report, _cache, seconds = static_index(work / "large")
    print(
        f"static index of {report.documents} documents: {seconds:.1f} s, "
        f"{report.files} files, {report.bytes / 1e6:.1f} MB, {report.shards} shards, "
        f"largest shard {report.largest_shard / 1e3:.1f} KB, "
        f"meta.json {report.meta_bytes / 1e3:.1f} KB"
    )
    answers = run_queries(
        work / "large", [{"query": q, "languages": ["ru", "kk"], "wanted": []} for q in queries]
    )
    sizes = sorted(a["bytes"] for a in answers)
    median = statistics.median(sizes)
    print(
        f"bytes a query reads ({len(sizes)} queries, cold): median {median / 1e3:.1f} KB, "
        f"p95 {sizes[int(len(sizes) * 0.95)] / 1e3:.1f} KB, max {sizes[-1] / 1e3:.1f} KB; "
        f"over {BUDGET / 1e3:.0f} KB: {sum(s > BUDGET for s in sizes)}"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
