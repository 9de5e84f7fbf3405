"""Benchmark: build a 200,000-word collected volume as EPUB and as PDF.

The texts are real public-domain books from ../shared/data (Lenin's «Государство и
революция», Dietzgen's selected works in Russian) and the Kazakh sentences of the
SIB-200 set, cut into chapters of about 5,000 words. Each builder runs three times;
the medians are reported. Run: .venv/bin/python bench/proceedings.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ISKRA_SHARED_DATA") or ROOT.parent / "shared" / "data")
TARGET_WORDS = 200_000
CHAPTER_WORDS = 5_000
ROUNDS = 3


def _paragraphs():
    """Yield paragraphs of real text (Russian books, then Kazakh sentences), repeated."""
    lenin = (DATA / "books" / "lenin_gosudarstvo_i_revolyuciya.comtext.md").read_text("utf-8")
    books = [p.strip() for p in lenin.split("\n\n") if len(p.split()) > 8]
    tree = etree.parse(str(DATA / "books" / "dietzgen_izbrannye_filosofskie_sochineniya.fb2"))
    books += [
        " ".join(p.itertext()).strip()
        for p in tree.iter("{http://www.gribuser.ru/xml/fictionbook/2.0}p")
        if len(" ".join(p.itertext()).split()) > 8
    ]
    with (DATA / "news" / "kk_sib200_topics.jsonl").open(encoding="utf-8") as handle:
        kazakh = [json.loads(line)["text"] for line in handle]
    kazakh_paragraphs = [" ".join(kazakh[i : i + 6]) for i in range(0, len(kazakh), 6)]
    while True:
        yield from books
        yield from kazakh_paragraphs


def build_document():
    from html import escape

    from iskra.publishing.document import Chapter, Document

    chapters, words, current, count = [], 0, [], 0
    for paragraph in _paragraphs():
        current.append(f"<p>{escape(paragraph)}</p>")
        count += len(paragraph.split())
        if count >= CHAPTER_WORDS:
            chapters.append(
                Chapter(
                    title=f"Доклад {len(chapters) + 1}",
                    byline="Докладчик",
                    body_html="".join(current),
                )
            )
            words, current, count = words + count, [], 0
            if words >= TARGET_WORDS:
                break
    return Document(
        title="Сборник для замера",
        subtitle="200 000 слов",
        language="ru",
        identifier="https://example.org/bench#volume",
        authors=["Докладчик"],
        title_page=[("Дата", "30 декабря 2022"), ("Город", "Алматы")],
        chapters=chapters,
        colophon=["Перепечатка со ссылкой на сайт."],
    )


def main():
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (the shared data set is needed)")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.test")
    import django

    django.setup()
    from iskra.publishing.epub import build_epub
    from iskra.publishing.pdf import build_pdf

    document = build_document()
    print(f"volume: {document.word_count:,} words in {len(document.chapters)} chapters")
    results = {}
    for name, build in (("EPUB", build_epub), ("PDF", build_pdf)):
        times, size = [], 0
        for _round in range(ROUNDS):
            started = time.perf_counter()
            size = len(build(document))
            times.append(time.perf_counter() - started)
        results[name] = statistics.median(times)
        rounds = ", ".join(f"{t:.2f}" for t in times)
        print(f"{name}: median {results[name]:.2f} s (rounds {rounds}), {size / 1e6:.1f} MB")
    total = results["EPUB"] + results["PDF"]
    print(f"EPUB + PDF: {total:.2f} s (target < 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
