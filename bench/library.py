"""Benchmark: importing books into the library and reading them (uncached, in-process).

1. A ~300,000-word book: the shared Dietzgen FB2 (about 124,000 words) repeated to size.
2. A generated collection of 5,000 chapters (texts from the same book), like a volume of
   collected works, imported as one work.
3. Reading: median time of an uncached chapter page and of the contents page of a
   500-chapter work, with the 5,000-chapter collection loaded.

Runs on a throwaway SQLite database under a temporary folder (or DATABASE_URL). Run:
.venv/bin/python bench/library.py
"""

import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ISKRA_SHARED_DATA") or ROOT.parent / "shared" / "data")
BOOK = DATA / "books" / "dietzgen_izbrannye_filosofskie_sochineniya.fb2"


def _setup():
    os.environ.setdefault("ISKRA_VAR_DIR", tempfile.mkdtemp(prefix="iskra-bench-library-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _words(book):
    return sum(len(b.html.split()) for _d, s in book.walk() for b in s.blocks)


def _sized(book, target):
    """Return ``book`` with its sections repeated until it holds ``target`` words."""
    result = copy.deepcopy(book)
    originals, round_ = list(book.sections), 1
    while _words(result) < target:
        round_ += 1
        for section in originals:
            twin = copy.deepcopy(section)
            twin.title = f"{section.title} ({round_})"
            result.sections.append(twin)
    return result


def _collection(book, chapters):
    """Return a book of ``chapters`` flat chapters cut from ``book``'s paragraphs."""
    from iskra.imports.books import Book, Section

    blocks = [b for _d, s in book.walk() for b in s.blocks if b.kind == "p"]
    per = 8
    sections = [
        Section(
            title=f"Том {n // 100 + 1}. Глава {n + 1}",
            blocks=[blocks[(n * per + i) % len(blocks)] for i in range(per)],
        )
        for n in range(chapters)
    ]
    return Book(title="Собрание сочинений (замер)", authors=["Иосиф Дицген"], sections=sections)


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main():
    if not BOOK.exists():
        print(f"skipped: {BOOK} is absent (the shared data set is needed)")
        return 0
    _setup()
    from django.test import Client

    from iskra.core.models import HomePage
    from iskra.imports.books import read_book
    from iskra.library.models import Chapter, LibraryPage
    from iskra.library.services import import_book

    home = HomePage.objects.get(locale__language_code="ru")
    library = home.add_child(instance=LibraryPage(title="Библиотека", slug="library"))
    library.save_revision().publish()

    source, parse_seconds = _timed(read_book, BOOK)
    big = _sized(source, 300_000)
    words = _words(big)
    result, seconds = _timed(import_book, big, library=library)
    print(f"book: {words:,} words, {result.chapters} chapters, {result.paragraphs:,} paragraphs")
    print(f"  read FB2 ({_words(source):,} words): {parse_seconds:.2f} s")
    print(f"  import: {seconds:.2f} s = {words / seconds:,.0f} words/s (target: < 20 s)")
    again, seconds = _timed(import_book, big, library=library)
    print(f"  re-import: {seconds:.2f} s, {again.kept_anchors:,} anchors kept")

    collection = _collection(source, 5_000)
    words = _words(collection)
    result, seconds = _timed(import_book, collection, library=library)
    print(
        f"collection: 5,000 chapters, {words:,} words: import {seconds:.2f} s "
        f"= {words / seconds:,.0f} words/s"
    )
    work = result.work

    client = Client(HTTP_HOST="127.0.0.1")
    slugs = list(Chapter.objects.filter(work=work).values_list("slug", flat=True)[:60])
    client.get(f"{work.url}{slugs[0]}/")
    times = []
    for slug in slugs[1:]:
        _response, elapsed = _timed(client.get, f"{work.url}{slug}/")
        times.append(elapsed * 1000)
    print(
        f"chapter page (uncached): p50 {statistics.median(times):.1f} ms over {len(times)} "
        f"(target ≤ 25 ms)"
    )
    five_hundred = _collection(source, 500)
    five_hundred.title = "Пятьсот глав (замер)"
    toc_work = import_book(five_hundred, library=library).work
    client.get(toc_work.url)
    times = [_timed(client.get, toc_work.url)[1] * 1000 for _ in range(20)]
    print(f"contents of a 500-chapter work: p50 {statistics.median(times):.1f} ms (target ≤ 40 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
