"""Search benchmark: 50,000 articles and a 5-million-word library, SQLite and PostgreSQL.

For each database: a fresh site (migrate, demo), then the index filled with 50,000
Russian articles (the shared RT/NG news repeated, each copy its own entry with its own
date) and library chapters holding 5 million words (the Dietzgen FB2 repeated), timed;
the cost of re-indexing one article as publishing does (median of 30); then the search
page served by ``iskra serve`` (2 gunicorn sync workers, page cache off) and measured
with wrk, one connection, a Lua script rotating the queries of each kind:

- one word (20 words from rare to very common), two words (20 pairs), a phrase (10).

The index entries point at the demo's pages for their addresses (the page shown for a
result); what is measured is the query, ranking, snippets and page rendering.

    .venv/bin/python bench/search.py [--articles 50000] [--library-words 5000000]
        [--duration 10] [--databases sqlite,postgresql] [--reuse]
"""

import argparse
import datetime
import gzip
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DATA = Path(os.environ.get("ISKRA_SHARED_DATA") or ROOT.parent / "shared" / "data")
NEWS = DATA / "news" / "ru_news_rt_ng.jsonl.gz"
BOOK = DATA / "books" / "dietzgen_izbrannye_filosofskie_sochineniya.fb2"
ISKRA = str(Path(sys.executable).with_name("iskra"))
PORT = 8121
ONE_WORD = [
    "конференция",
    "забастовка",
    "профсоюз",
    "нефть",
    "выборы",
    "санкции",
    "пенсия",
    "шахтёры",
    "учёные",
    "футбол",
    "президент",
    "россия",
    "правительство",
    "экономика",
    "заявил",
    "страны",
    "года",
    "может",
    "также",
    "время",
]
TWO_WORDS = [
    "нефть цена",
    "выборы президента",
    "санкции против",
    "футбольный клуб",
    "учёные обнаружили",
    "министр иностранных",
    "центральный банк",
    "курс рубля",
    "чемпионат мира",
    "военные учения",
    "пенсионная реформа",
    "газовый контракт",
    "нобелевская премия",
    "космический корабль",
    "государственная дума",
    "рабочий класс",
    "материалистическое понимание",
    "головной работы",
    "теория познания",
    "заработная плата",
]
PHRASES = [
    '"министр иностранных дел"',
    '"центральный банк"',
    '"чемпионат мира"',
    '"государственная дума"',
    '"сущность головной работы"',
    '"теория познания"',
    '"курс рубля"',
    '"военные учения"',
    '"нобелевская премия"',
    '"рабочий класс"',
]


def environment(var_dir, database_url):
    env = dict(os.environ)
    env.update(
        ISKRA_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        BASE_URL=f"http://127.0.0.1:{PORT}",
        PAGE_CACHE_SECONDS="0",
        SCHEDULER="off",
        WEB_CONCURRENCY="2",
        DJANGO_SETTINGS_MODULE="iskra.settings.base",
        # Tasks inside the command or request (no worker competing for the CPU, and what
        # the figures before the worker measured); see docs/benchmarks.md.
        TASKS_BACKEND="immediate",
    )
    env.pop("REDIS_URL", None)
    return env


def fill(articles, library_words):
    """Inside Django: index the articles and chapters; print the timings as JSON."""
    import django

    django.setup()
    from iskra.core.contracts import SearchDocument as Document
    from iskra.imports.books import read_book
    from iskra.library.models import WorkPage
    from iskra.news.models import ArticlePage
    from iskra.search.indexing import index_documents, index_page

    pages = list(
        ArticlePage.objects.filter(locale__language_code="ru").values_list("pk", flat=True)
    )
    work = WorkPage.objects.filter(locale__language_code="ru").first()
    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rng = random.Random(5)
    today = datetime.date(2026, 11, 1)

    def article_documents():
        for number in range(articles):
            row = rows[number % len(rows)]
            yield Document(
                kind="article",
                object_id=10_000_000 + number,
                page_id=pages[number % len(pages)],
                language="ru",
                title=row["title"],
                lead=" ".join([row.get("summary") or "", *row.get("keywords", [])]),
                body=row["text"],
                date=today - datetime.timedelta(days=rng.randrange(3650)),
                section_id=1,
                section_title="Новости",
            )

    book = read_book(BOOK)
    paragraphs = [b.html for _d, s in book.walk() for b in s.blocks if b.kind == "p"]

    def chapter_documents():
        words, number = 0, 0
        while words < library_words:
            body = " ".join(paragraphs[(number * 40 + i) % len(paragraphs)] for i in range(40))
            words += len(body.split())
            yield Document(
                kind="chapter",
                object_id=20_000_000 + number,
                page_id=work.pk,
                language="ru",
                title=f"Глава {number + 1}",
                lead=f"{work.title} Иосиф Дицген",
                body=re.sub(r"<[^>]+>", "", body),
                path=f"{work.chapters.first().slug}/",
            )
            number += 1

    started = time.perf_counter()
    stored = index_documents(article_documents())
    article_seconds = time.perf_counter() - started
    started = time.perf_counter()
    chapters = index_documents(chapter_documents())
    library_seconds = time.perf_counter() - started
    article = ArticlePage.objects.filter(locale__language_code="ru").live().first()
    times = []
    for _ in range(30):
        started = time.perf_counter()
        index_page(article)
        times.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "articles": stored,
                "article_seconds": article_seconds,
                "chapters": chapters,
                "library_seconds": library_seconds,
                "reindex_ms": statistics.median(times),
                "reindex_p95_ms": sorted(times)[int(len(times) * 0.95) - 1],
            }
        )
    )


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, check=True, text=True, **kwargs)


LUA = """
local queries = {%s}
local n = 0
request = function()
  n = n %% #queries + 1
  return wrk.format(nil, "/ru/search/?q=" .. queries[n])
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %%f\\nP95 %%f\\nP99 %%f\\nREQUESTS %%d\\nERRORS %%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read))
end
"""


def wrk(queries, duration, name):
    script = OUT / f"search-{name}.lua"
    quoted = ", ".join(f'"{urllib.parse.quote(q)}"' for q in queries)
    script.write_text(LUA % quoted)
    text = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{duration}s", "-s", str(script), f"http://127.0.0.1:{PORT}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(re.findall(r"^([A-Z0-9]+) ([\d.]+)$", text, re.MULTILINE))
    if float(values["ERRORS"]) or re.search(r"Non-2xx", text):
        raise RuntimeError(f"errors in {name}:\n{text}")
    return {key: float(value) for key, value in values.items()}


def measure(database, args):
    var_dir = OUT / f"search-{database}"
    name = "iskra_bench_search"
    if database == "postgresql":
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    env = environment(var_dir, url)
    saved = var_dir / "fill.json"
    if args.reuse and saved.exists():
        figures = json.loads(saved.read_text())  # the index of an earlier run, measured again
    else:
        shutil.rmtree(var_dir, ignore_errors=True)
        var_dir.mkdir(parents=True)
        if database == "postgresql":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        run([ISKRA, "migrate", "--noinput", "-v0"], env)
        run([ISKRA, "collectstatic", "--noinput", "-v0"], env)
        run([ISKRA, "demo"], env, stdout=subprocess.DEVNULL)
        output = run(
            [sys.executable, __file__, "--fill", str(args.articles), str(args.library_words)],
            env,
            capture_output=True,
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        saved.write_text(json.dumps(figures))
    log = open(OUT / f"search-{database}-serve.log", "w")  # noqa: SIM115  (lives with the server)
    server = subprocess.Popen(
        [ISKRA, "serve", "--workers", "2"],
        env=env | {"PORT": str(PORT)},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/ru/search/?q=x", timeout=5)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        for query in ONE_WORD + TWO_WORDS + PHRASES:  # warm the caches once
            urllib.request.urlopen(
                f"http://127.0.0.1:{PORT}/ru/search/?q={urllib.parse.quote(query)}", timeout=60
            ).read()
        figures["one word"] = wrk(ONE_WORD, args.duration, "one")
        figures["two words"] = wrk(TWO_WORDS, args.duration, "two")
        figures["phrase"] = wrk(PHRASES, args.duration, "phrase")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--library-words", type=int, default=5_000_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the index an earlier run built again"
    )
    args = parser.parse_args()
    if args.fill:
        sys.path.insert(0, str(ROOT / "src"))
        fill(*args.fill)
        return 0
    if not NEWS.exists() or not BOOK.exists():
        print(f"skipped: {DATA} does not hold the news corpus and the books")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for database in args.databases.split(","):
        results[database] = figures = measure(database, args)
        print(
            f"{database}: indexed {figures['articles']:,} articles in "
            f"{figures['article_seconds']:.0f} s and {figures['chapters']:,} chapters "
            f"({args.library_words:,} words) in {figures['library_seconds']:.0f} s; "
            f"re-indexing one article: median {figures['reindex_ms']:.1f} ms, "
            f"p95 {figures['reindex_p95_ms']:.1f} ms"
        )
        for kind in ("one word", "two words", "phrase"):
            f = figures[kind]
            print(
                f"  {kind}: p50 {f['P50']:.1f} ms, p95 {f['P95']:.1f} ms, "
                f"p99 {f['P99']:.1f} ms ({f['REQUESTS']:.0f} requests)"
            )
    (OUT / "search.json").write_text(json.dumps(results, indent=2))
    print("targets: two words p95 ≤ 50 ms on SQLite; re-indexing on publish ≤ 100 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
