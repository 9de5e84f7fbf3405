"""Migration benchmark: import a generated DLE dump and WordPress export, then measure
what an old address costs next to a cached page.

Generates a DataLife Engine dump of 20,000 posts (3–8 KB of HTML each with DLE's markers:
images, a quote, a spoiler, a YouTube video, colours, a page break, a leech link; two
pictures and three tags a post; texts from ../shared/data's Russian news, used only
here) with its uploads folder, and a WordPress export of 5,000 posts (half Gutenberg,
half classic with shortcodes). Imports both with `iskra import-dle` and
`iskra import-wordpress` into a fresh database on SQLite and on PostgreSQL, recording wall
time and peak memory (the importing process's maximum resident set, and the sum
of the proportional memory of it and the processes it forks). Then serves the
SQLite site with `iskra serve` and runs wrk against a cached article, one old DLE address
asked again and again, and 20,000 distinct old addresses (each asked about once: the
resolver's own cost), in the same rounds. Writes bench/out/migration.json.

    .venv/bin/python bench/migration.py [--posts 20000] [--wxr-posts 5000]
        [--databases sqlite,postgresql] [--rounds 3] [--duration 10]

Needs wrk (Debian: apt-get install wrk) and, for PostgreSQL, a server at 127.0.0.1:5432.
"""

import argparse
import contextlib
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the dump and export writers of the tests

from bench.pages import ISKRA, _latency, wait_for  # noqa: E402
from tests.factories.old_sites import DleDump, Wxr, picture  # noqa: E402

OUT = ROOT / "bench" / "out"
NEWS = ROOT.parent / "shared" / "data" / "news" / "ru_news_rt_ng.jsonl.gz"
PORT = 8111
CATEGORIES = [
    (1, 0, "Новости", "novosti"),
    (2, 1, "Регионы", "regiony"),
    (3, 1, "Профсоюзы", "profsoyuzy"),
    (4, 0, "Статьи", "stati"),
    (5, 4, "Теория", "teoriya"),
    (6, 0, "Заявления", "zayavleniya"),
    (7, 0, "Интервью", "intervyu"),
    (8, 6, "Архив", "arhiv"),
]


def corpus():
    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def dle_story(item, index, rng):
    """Return 3–8 KB of DLE-stored HTML for one post, with its markers."""
    paragraphs = [p for p in item["text"].split("\n") if p.strip()]
    target = rng.randint(3000, 8000)
    month = f"20{10 + index % 14:02d}-{1 + index % 12:02d}"
    images = [f"posts/{month}/{index}_a.png", f"posts/{month}/{index}_b.png"]
    parts = [
        f'<div style="text-align:center;"><!--dle_image_begin:http://old.example.kz/uploads/{images[0]}|-->'
        f'<img src="/uploads/{images[0]}" style="max-width:100%;" alt=""><!--dle_image_end--></div><br>'
    ]
    size = len(parts[0])
    for number, paragraph in enumerate(paragraphs * 4):
        if size >= target:
            break
        if number == 1:
            parts.append(
                f'<!--QuoteBegin--><div class="quote_block"><div class="quote"><!--QuoteEBegin-->{paragraph}'
                "<!--QuoteEnd--></div></div><!--QuoteEEnd--><br>"
            )
        elif number == 2:
            parts.append(
                f'<!--dle_spoiler Подробнее --><div class="title_spoiler">Подробнее</div><div class="text_spoiler">'
                f"<!--spoiler_text-->{paragraph}<!--spoiler_text_end--></div><!--/dle_spoiler-->"
            )
        elif number == 3:
            parts.append(
                f'<!--TBegin:http://old.example.kz/uploads/{images[1]}|left--><a href="/uploads/{images[1]}">'
                f'<img src="/uploads/{images[1].replace("posts/", "posts/thumbs/")}" alt=""></a><!--TEnd-->{paragraph}<br><br>'
            )
        elif number == 4:
            parts.append(
                "<!--dle_youtube_begin:https://www.youtube.com/watch?v=dQw4w9WgXcQ--><iframe "
                'src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe><!--dle_youtube_end--><br>'
                f'<!--colorstart:#CC0000--><span style="color:#CC0000"><!--/colorstart-->{paragraph}'
                "<!--colorend--></span><!--/colorend--><br><br>{PAGEBREAK}"
            )
        else:
            parts.append(f"{paragraph}<br><br>")
        size += len(parts[-1])
    parts.append(
        '<!--dle_leech_begin--><a href="/engine/go.php?url=aHR0cHM6Ly9leGFtcGxlLm9yZy8%3D">'
        "Источник</a><!--dle_leech_end-->"
    )
    return "".join(parts), images


def generate_dle(folder, count, news):
    rng = random.Random(1)
    uploads = folder / "uploads"
    source = picture(folder / "source.png", size=(320, 200))
    dump = DleDump()
    for key, parent, name, alt in CATEGORIES:
        dump.add("category", id=key, parentid=parent, posi=key, name=name, alt_name=alt)
    dump.add("users", user_id=1, name="admin", fullname="Редакция")
    dump.add("users", user_id=2, name="korr", fullname="Собственный корреспондент")
    for index in range(1, count + 1):
        item = news[index % len(news)]
        story, images = dle_story(item, index, rng)
        for image in images:
            target = uploads / image
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
        keywords = (item.get("keywords") or ["политика", "экономика", "общество"])[:3]
        day = 1 + index % 28
        dump.add(
            "post", id=index, autor="admin" if index % 3 else "korr",
            date=f"20{10 + index % 14:02d}-{1 + index % 12:02d}-{day:02d} 10:{index % 60:02d}:00",
            short_story=paragraph_of(item), full_story=story, title=item["title"][:250] or f"Новость {index}",
            category=str(CATEGORIES[index % len(CATEGORIES)][0]), alt_name=f"novost-{index}",
            approve=0 if index % 97 == 0 else 1, tags=",".join(k[:40] for k in keywords),
            comm_num=index % 5,
        )  # fmt: skip
        dump.add("images", id=index, images="|||".join(i[6:] for i in images), news_id=index)
    dump.add("static", id=1, name="about", descr="О нас", template="<p>О нас.</p>")
    path = dump.write(folder / "dump.sql")
    return path, uploads


def paragraph_of(item):
    return next((p for p in item["text"].split("\n") if p.strip()), item["title"])[:600]


def generate_wxr(folder, count, news):
    uploads = folder / "wp-uploads"
    source = picture(folder / "wp-source.png", size=(320, 200))
    wxr = Wxr()
    wxr.author("admin", "Редакция")
    wxr.category(2, "novosti", "Новости")
    wxr.category(3, "stati", "Статьи")
    base = "https://old.example.org"
    for index in range(1, count + 1):
        item = news[(index * 7) % len(news)]
        paragraphs = [p for p in item["text"].split("\n") if p.strip()][:10]
        month = f"20{15 + index % 10}/{1 + index % 12:02d}"
        image = f"{month}/wp-{index}.png"
        (uploads / month).mkdir(parents=True, exist_ok=True)
        os.link(source, uploads / image)
        url = f"{base}/wp-content/uploads/{image.replace('.png', '-300x200.png')}"
        if index % 2:
            content = (
                "\n\n".join(
                    f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
                )
                + f'\n\n<!-- wp:image -->\n<figure class="wp-block-image"><img src="{url}" alt=""/></figure>\n<!-- /wp:image -->'
            )
        else:
            content = (
                "\n\n".join(paragraphs[:5])
                + f'\n\n[caption width="300"]<img src="{url}" /> Фото[/caption]\n\n'
                + "\n\n".join(paragraphs[5:])
            )
        slug = f"zapis-{index}"
        wxr.item(
            1000 + index, title=item["title"][:250] or f"Запись {index}", content=content, slug=slug,
            link=f"{base}/{month}/{slug}/", date=f"20{15 + index % 10}-{1 + index % 12:02d}-10 12:00:00",
            categories=[("novosti", "Новости") if index % 3 else ("stati", "Статьи")],
            tags=[(f"tag-{index % 50}", f"тема {index % 50}")],
        )  # fmt: skip
    return wxr.write(folder / "export.xml"), uploads


def environment(var_dir, database):
    env = dict(os.environ)
    env.update(
        ISKRA_VAR_DIR=str(var_dir),
        DATABASE_URL=database,
        BASE_URL=f"http://127.0.0.1:{PORT}",
        PAGE_CACHE_SECONDS="600",
        WEB_CONCURRENCY="2",
        DJANGO_SETTINGS_MODULE="iskra.settings.base",
        # Tasks inside the command or request (no worker competing for the CPU, and what
        # the figures before the worker measured); see docs/benchmarks.md.
        TASKS_BACKEND="immediate",
    )
    env.pop("REDIS_URL", None)
    return env


def _descendants(pid):
    """The process ``pid`` and every process under it (Linux's /proc children lists)."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # ended meanwhile
                waiting += [int(child) for child in task.read_text().split()]
    return found


def tree_pss_mb(pid):
    """The memory of ``pid`` and its workers together: the sum of their proportional set
    sizes (a page shared by n of them counted 1/n in each), in MB."""
    total = 0
    for member in _descendants(pid):
        try:
            text = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue  # ended meanwhile
        found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        total += int(found.group(1)) if found else 0
    return total / 1024


def timed(command, env):
    """Run ``command``; return (seconds, peak memory in MB, peak memory of the process
    tree in MB, output). The first peak is the one the import reports (Linux's VmHWM
    of its own program: the rusage of a child would count what this process held when
    it forked); the second is the largest sum, sampled four times a second, of the
    proportional memory of the importer and the processes it forked (the dump's reader,
    the analysis workers), each shared page counted once."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    tree_peak, done = [0.0], threading.Event()

    def sample():  # until the output ends (not poll(): the wait below reaps the process)
        while not done.wait(0.25):
            tree_peak[0] = max(tree_peak[0], tree_pss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read()
    done.set()
    sampler.join()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed:\n{output[-3000:]}")
    reported = re.search(r"(\d+) (?:MB|МБ)\s*$", output, re.M)
    peak = int(reported.group(1)) if reported else usage.ru_maxrss / 1024
    return seconds, peak, tree_peak[0], output


def fresh_database(name, var_dir):
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    if name == "sqlite":
        return f"sqlite:///{var_dir / 'bench.sqlite3'}"
    database = "iskra_bench_migration"
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def import_both(name, dle, wxr):
    var_dir = OUT / f"migration-{name}"
    env = environment(var_dir, fresh_database(name, var_dir))
    subprocess.run([ISKRA, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([ISKRA, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([ISKRA, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    dle_seconds, dle_mb, dle_tree_mb, dle_output = timed(
        [ISKRA, "import-dle", str(dle[0]), "--uploads", str(dle[1])], env
    )
    print(
        f"{name}: DLE import {dle_seconds:.1f} s, peak {dle_mb:.0f} MB, "
        f"with its workers {dle_tree_mb:.0f} MB"
    )
    print("\n".join(line for line in dle_output.splitlines() if not line.startswith(("  ", "…"))))
    wxr_seconds, wxr_mb, wxr_tree_mb, _out = timed(
        [ISKRA, "import-wordpress", str(wxr[0]), "--uploads", str(wxr[1])], env
    )
    print(
        f"{name}: WordPress import {wxr_seconds:.1f} s, peak {wxr_mb:.0f} MB, "
        f"with its workers {wxr_tree_mb:.0f} MB"
    )
    again, _mb, _tree, _out = timed(
        [ISKRA, "import-dle", str(dle[0]), "--uploads", str(dle[1])], env
    )
    print(f"{name}: DLE import again (nothing changed) {again:.1f} s")
    return env, {
        "dle_seconds": round(dle_seconds, 1), "dle_peak_mb": round(dle_mb),
        "dle_tree_peak_mb": round(dle_tree_mb),
        "wxr_seconds": round(wxr_seconds, 1), "wxr_peak_mb": round(wxr_mb),
        "wxr_tree_peak_mb": round(wxr_tree_mb),
        "dle_again_seconds": round(again, 1),
    }  # fmt: skip


def wrk(target, duration, script=None):
    command = ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run([*command, target], capture_output=True, text=True, check=True)
    text = result.stdout
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if errors:
        raise RuntimeError(f"{target}: {errors.group(1)} error responses\n{text}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50_ms": _latency(re.search(r"50%\s+([\d.]+\w+)", text).group(1)),
        "p99_ms": _latency(re.search(r"99%\s+([\d.]+\w+)", text).group(1)),
    }


def serve_and_measure(env, posts, rounds, duration):
    env = dict(env, PORT=str(PORT))
    log = open(OUT / "migration-serve.log", "w")  # noqa: SIM115  (lives as long as the server)
    server = subprocess.Popen(
        [ISKRA, "serve", "--workers", "2"], env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        old = "/novosti/regiony/1-novost-1.html"
        wait_for(base + "/ru/")
        import urllib.request

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(base + old)
        except urllib.error.HTTPError as error:
            article = error.headers["Location"]
        else:
            raise RuntimeError(f"{old} did not redirect")
        wait_for(base + article)
        paths = [
            f"/{CATEGORIES[i % len(CATEGORIES)][3]}/{i}-novost-{i}.html"
            for i in range(2, posts + 1)
            if i % 97
        ]
        random.Random(2).shuffle(paths)
        script = OUT / "old-urls.lua"
        (OUT / "old-urls.txt").write_text("\n".join(paths) + "\n")
        script.write_text(LUA % (OUT / "old-urls.txt"))
        results = {
            "cached article": [],
            "old address, asked again": [],
            "old addresses, each new": [],
        }
        for _round in range(rounds):
            results["cached article"].append(wrk(base + article, duration))
            results["old address, asked again"].append(wrk(base + old, duration))
            # The page cache keeps what was answered: a new server generation per round.
            subprocess.run(
                [
                    ISKRA,
                    "shell",
                    "-c",
                    "from iskra.core.page_cache import bump_generation; bump_generation()",
                ],
                env=env,
                check=True,
            )
            results["old addresses, each new"].append(wrk(base, duration, script))
        return {name: median(rows) for name, rows in results.items()}, results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


class NoRedirect(__import__("urllib.request").request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def median(rows):
    return {key: round(statistics.median(row[key] for row in rows), 2) for key in rows[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--wxr-posts", type=int, default=5000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    folder = OUT / "migration-input"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    news = corpus()
    started = time.perf_counter()
    dle = generate_dle(folder, args.posts, news)
    wxr = generate_wxr(folder, args.wxr_posts, news)
    size = dle[0].stat().st_size / 1e6
    print(
        f"generated {args.posts} DLE posts ({size:.0f} MB dump) and {args.wxr_posts} WordPress posts in {time.perf_counter() - started:.0f} s"
    )
    report = {"posts": args.posts, "wxr_posts": args.wxr_posts, "dump_mb": round(size)}
    served = None
    for name in args.databases.split(","):
        env, report[name] = import_both(name, dle, wxr)
        if name == "sqlite":
            served = env
    if served and shutil.which("wrk"):
        report["serving"], report["rounds"] = serve_and_measure(
            served, args.posts, args.rounds, args.duration
        )
        cached = report["serving"]["cached article"]["rps"]
        for name, row in report["serving"].items():
            row["ratio_to_cached"] = round(cached / row["rps"], 2) if row["rps"] else None
            print(
                f"{name:28} {row['rps']:8.0f} req/s  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms  cost ×{row['ratio_to_cached']}"
            )
    (OUT / "migration.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
