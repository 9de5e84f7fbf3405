"""Benchmark: importing books into the library, building their editions, reading them.

1. A ~300,000-word book: the shared Dietzgen FB2 (about 124,000 words) repeated to size;
   imported, imported again (anchors kept), and its EPUB and PDF built.
2. A generated collected works of 5,000 chapters and about 20 million words (like the
   55 volumes of Lenin's), texts cut from the same book, imported as one work.
3. Reading through HTTP, with the collection loaded: ``iskra serve`` (2 gunicorn sync
   workers, page cache off, so every request renders) measured with wrk — chapter pages
   (a Lua script walks 200 different chapters) and the contents of a 500-chapter work;
   one connection for latency, sixteen for throughput.

Runs on SQLite in bench/out/library-var (rebuilt each run). Needs ../shared/data and wrk:

    .venv/bin/python bench/library.py [--words 20000000] [--duration 10]
"""

import argparse
import copy
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR = OUT / "library-var"
DATA = Path(os.environ.get("ISKRA_SHARED_DATA") or ROOT.parent / "shared" / "data")
BOOK = DATA / "books" / "dietzgen_izbrannye_filosofskie_sochineniya.fb2"
ISKRA = str(Path(sys.executable).with_name("iskra"))
PORT = 8111


def _environment():
    env = dict(os.environ)
    env.update(
        ISKRA_VAR_DIR=str(VAR),
        DATABASE_URL=f"sqlite:///{VAR / 'bench.sqlite3'}",
        BASE_URL=f"http://127.0.0.1:{PORT}",
        PAGE_CACHE_SECONDS="0",
        SCHEDULER="off",
        DJANGO_SETTINGS_MODULE="iskra.settings.base",
        # Tasks inside the command or request (no worker competing for the CPU, and what
        # the figures before the worker measured); see docs/benchmarks.md.
        TASKS_BACKEND="immediate",
    )
    env.pop("REDIS_URL", None)
    return env


def _setup():
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    os.environ.update(_environment())
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


def _collection(book, chapters, words, title):
    """Return a book of ``chapters`` chapters (in volumes of 100) holding about ``words``
    words, its paragraphs cut from ``book``."""
    from iskra.imports.books import Book, Section

    blocks = [b for _d, s in book.walk() for b in s.blocks if b.kind == "p"]
    average = sum(len(b.html.split()) for b in blocks) / len(blocks)
    per = max(1, round(words / chapters / average))
    volumes = []
    for n in range(chapters):
        if n % 100 == 0:
            volumes.append(Section(title=f"Том {n // 100 + 1}"))
        volumes[-1].children.append(
            Section(
                title=f"Глава {n + 1}",
                blocks=[blocks[(n * per + i) % len(blocks)] for i in range(per)],
            )
        )
    return Book(title=title, authors=["Иосиф Дицген"], sections=volumes)


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def _wrk(url, duration, connections, script=None):
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency"] + (["-s", str(script)] if script else []) + [url]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text):
        raise RuntimeError(f"{url}: error responses\n{text}")

    def latency(label):
        value, unit = re.search(rf"{label}%\s+([\d.]+)(\w+)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    return {"rps": rps, "p50": latency("50"), "p90": latency("90"), "p99": latency("99")}


def _serve_and_measure(chapter_urls, toc_url, duration):
    import urllib.request

    script = OUT / "library-chapters.lua"
    paths = ", ".join(f'"{url}"' for url in chapter_urls)
    script.write_text(
        f"local paths = {{{paths}}}\nlocal n = 0\n"
        "request = function()\n  n = n % #paths + 1\n"
        "  return wrk.format(nil, paths[n])\nend\n"
    )
    log = open(OUT / "library-serve.log", "w")  # noqa: SIM115  (lives as long as the server)
    env = _environment() | {"PORT": str(PORT)}
    server = subprocess.Popen(
        [ISKRA, "serve", "--workers", "2"], env=env, stdout=log, stderr=log, start_new_session=True
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + toc_url, timeout=5).read()  # noqa: S310
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        for url in chapter_urls[:20]:
            urllib.request.urlopen(base + url, timeout=5).read()  # noqa: S310  (warm up)
        return {
            "chapter, 1 connection": _wrk(base + "/", duration, 1, script),
            "chapter, 16 connections": _wrk(base + "/", duration, 16, script),
            "contents (500 chapters), 1 connection": _wrk(base + toc_url, duration, 1),
            "contents (500 chapters), 16 connections": _wrk(base + toc_url, duration, 16),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=20_000_000, help="collection size")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    args = parser.parse_args()
    if not BOOK.exists():
        print(f"skipped: {BOOK} is absent (the shared data set is needed)")
        return 0
    if not shutil.which("wrk"):
        print("skipped: wrk is not installed (apt-get install wrk)")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    _setup()
    from iskra.imports.books import read_book
    from iskra.library.models import Chapter, LibraryPage
    from iskra.library.services import import_book
    from iskra.publishing.services import build_editions

    library = LibraryPage.objects.get(locale__language_code="ru")
    source, parse_seconds = _timed(read_book, BOOK)
    big = _sized(source, 300_000)
    words = _words(big)
    result, seconds = _timed(import_book, big, library=library, author_name="Замер")
    print(f"book: {words:,} words, {result.chapters} chapters, {result.paragraphs:,} paragraphs")
    print(
        f"  read FB2 ({_words(source):,} words, {BOOK.stat().st_size:,} bytes): "
        f"{parse_seconds:.2f} s"
    )
    print(f"  import: {seconds:.2f} s = {words / seconds:,.0f} words/s (target: < 20 s)")
    again, seconds = _timed(import_book, big, library=library, author_name="Замер")
    print(f"  re-import: {seconds:.2f} s, {again.kept_anchors:,} anchors kept")
    editions, seconds = _timed(build_editions, again.work)
    size = {edition.format: edition.size / 2**20 for edition in editions}
    print(
        f"  EPUB + PDF editions: {seconds:.1f} s "
        f"(EPUB {size.get('epub', 0):.1f} MB, PDF {size.get('pdf', 0):.1f} MB)"
    )

    collection = _collection(source, 5_000, args.words, "Собрание сочинений (замер)")
    words = _words(collection)
    result, seconds = _timed(import_book, collection, library=library, author_name="Замер")
    print(
        f"collection: {result.chapters:,} chapters and volumes, {words:,} words, "
        f"{result.paragraphs:,} paragraphs: import {seconds:.1f} s = {words / seconds:,.0f} words/s"
    )
    work = result.work
    chapter_urls = [
        f"{work.url}{slug}/"
        for slug in Chapter.objects.filter(work=work, depth=1)
        .order_by("position")
        .values_list("slug", flat=True)[::25][:200]
    ]
    five_hundred = _collection(source, 500, 500 * 1000, "Пятьсот глав (замер)")
    toc_work = import_book(five_hundred, library=library, author_name="Замер").work
    print(f"HTTP: iskra serve, 2 workers, page cache off, wrk {args.duration} s per run")
    for name, figures in _serve_and_measure(chapter_urls, toc_work.url, args.duration).items():
        print(
            f"  {name}: p50 {figures['p50']:.1f} ms, p90 {figures['p90']:.1f} ms, "
            f"p99 {figures['p99']:.1f} ms, {figures['rps']:.0f} req/s"
        )
    print("targets: chapter p50 ≤ 25 ms, contents of 500 chapters ≤ 40 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
