"""Analysis speed: the Russian analyser over the first N shared news articles.

    .venv/bin/python bench/analysis.py [--articles 1000]

Prints the seconds spent turning titles, leads and texts into index terms (a cold
cache: each process analyses the articles once).
"""

import argparse
import gzip
import itertools
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ISKRA_SHARED_DATA") or ROOT.parent / "shared" / "data")
NEWS = DATA / "news" / "ru_news_rt_ng.jsonl.gz"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    if not NEWS.exists():
        print(f"skipped: {NEWS} is absent")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    from iskra.search import analysis

    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in itertools.islice(handle, args.articles)]
    started = time.perf_counter()
    terms = 0
    for row in rows:
        for text in (row["title"], row.get("summary") or "", row["text"]):
            terms += len(analysis.analyze(text, "ru"))
    seconds = time.perf_counter() - started
    print(f"{len(rows)} articles, {terms:,} terms in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
