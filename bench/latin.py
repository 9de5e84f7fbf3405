"""Kazakh Latin view benchmark: what reading a page in Latin letters costs.

1. Serves the demo site with `iskra serve` (2 gunicorn sync workers, page cache off, so
   every request renders) and runs `wrk -t2 -c16` against the demo's Kazakh conference
   report in Cyrillic (/kk/…) and in the Latin view (/kk-latn/…), alternating, in the
   same rounds; prints req/s and p50 medians and the Latin/Cyrillic ratio (target: the
   Latin page within 1.2× of the Cyrillic one).
2. Transliterates the whole SIB-200 Kazakh set (../shared/data/news/kk_sib200_topics.jsonl)
   in-process, cold (a new transliterator) and warm, and reports words per second.
3. Rewrites the article's Cyrillic HTML in-process, cold (nothing remembered: its first
   Latin render after a restart) and warm (a re-render, as after a publish).

    .venv/bin/python bench/latin.py [--rounds 3] [--duration 10]

Needs wrk (Debian: apt-get install wrk). Writes bench/out/latin.json.
"""

import argparse
import json
import os
import re
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402  (the page benchmark's server and wrk helpers)

SIB200 = pages.ROOT.parent / "shared" / "data" / "news" / "kk_sib200_topics.jsonl"
ARTICLE = "/kk/news/conference-in-defence-of-the-ussr/"
PORT = 8111


def serve(var_dir):
    pages.OUT.mkdir(parents=True, exist_ok=True)
    env = pages.environment(var_dir, page_cache=False)
    pages.run([pages.ISKRA, "migrate", "--noinput", "-v0"], env)
    pages.run([pages.ISKRA, "collectstatic", "--noinput", "-v0"], env)
    pages.run([pages.ISKRA, "demo"], env, stdout=pages.subprocess.DEVNULL)
    env["PORT"] = str(PORT)
    log = open(pages.OUT / "latin-serve.log", "w")  # noqa: SIM115  (lives as long as the server)
    return pages.subprocess.Popen(
        [pages.ISKRA, "serve", "--workers", "2"],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def measure_pages(rounds, duration):
    var_dir = pages.OUT / "var-latin"
    pages.shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    server = serve(var_dir)
    base = f"http://127.0.0.1:{PORT}"
    try:
        pages.wait_for(base + ARTICLE)
        latin = ARTICLE.replace("/kk/", "/kk-latn/", 1)
        body = pages.wait_for(base + latin).decode()
        assert '<html lang="kk-Latn">' in body and "konferentsiia" in body
        cyrillic_html = pages.wait_for(base + ARTICLE).decode()
        results = {"cyrillic": [], "latin": []}
        for number in range(rounds):
            for name, path in (("cyrillic", ARTICLE), ("latin", latin)):
                pages.wrk(base + path, 2)  # warm-up
                found = pages.wrk(base + path, duration)
                results[name].append(found)
                print(
                    f"round {number + 1} {name}: {found['rps']:.1f} req/s, "
                    f"p50 {found['p50_ms']:.1f} ms"
                )
        return results, cyrillic_html
    finally:
        os.killpg(server.pid, signal.SIGTERM)


def measure_sib200():
    from iskra.core.kazakh_latin import Transliterator

    texts = [json.loads(line)["text"] for line in SIB200.open(encoding="utf-8")]
    words = sum(len(re.findall(r"\w+", text)) for text in texts)

    def timed(latin):
        started = time.perf_counter()
        for text in texts:
            latin.text(text)
        return time.perf_counter() - started

    cold = statistics.median(timed(Transliterator()) for _ in range(5))
    warm_latin = Transliterator()
    timed(warm_latin)
    warm = statistics.median(timed(warm_latin) for _ in range(5))
    timings = {"cold": cold, "warm": warm}
    return {
        "texts": len(texts),
        "words": words,
        "cold_ms": timings["cold"] * 1000,
        "warm_ms": timings["warm"] * 1000,
        "cold_words_per_s": words / timings["cold"],
    }


def measure_first_render(html):
    """The rewrite of the article's HTML in-process: cold (a new transliterator, so no
    word, tag or chrome fragment is remembered: a page's first Latin render after a
    restart) and warm (what a re-render after a publish costs)."""
    from iskra.core.latin_view import latinize_html

    def timed(make, rounds=200):
        times = []
        for _ in range(rounds):
            latin = make()
            started = time.perf_counter()
            latinize_html(html, latin, f"127.0.0.1:{PORT}")
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1000

    from iskra.core.kazakh_latin import Transliterator

    warm = Transliterator()
    return {"cold_ms": timed(Transliterator), "warm_ms": timed(lambda: warm)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")
    os.environ.setdefault("TASKS_BACKEND", "immediate")  # as the figures before the worker
    report = {}
    import django

    os.environ.setdefault("ISKRA_VAR_DIR", str(pages.OUT / "var-latin-sib"))
    django.setup()
    if SIB200.exists():
        report["sib200"] = measure_sib200()
        print("SIB-200:", {k: round(v, 1) for k, v in report["sib200"].items()})
    else:
        print(f"SIB-200 skipped: {SIB200} is absent")
    results, cyrillic_html = measure_pages(args.rounds, args.duration)
    report["rewrite"] = measure_first_render(cyrillic_html)
    print(
        "the article's rewrite in-process: cold {cold_ms:.2f} ms, warm {warm_ms:.2f} ms".format(
            **report["rewrite"]
        )
    )
    summary = {
        name: {
            "rps": statistics.median(r["rps"] for r in rounds),
            "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        }
        for name, rounds in results.items()
    }
    ratios = [
        cyr["rps"] / lat["rps"]
        for cyr, lat in zip(results["cyrillic"], results["latin"], strict=True)
    ]
    summary["cost_ratio"] = statistics.median(ratios)  # Cyrillic req/s over Latin req/s
    report["pages"] = summary
    report["rounds"] = results
    print(
        f"uncached: Cyrillic {summary['cyrillic']['rps']:.1f} req/s, "
        f"Latin {summary['latin']['rps']:.1f} req/s; the Latin page costs "
        f"{summary['cost_ratio']:.2f}× the Cyrillic one (target ≤ 1.2)"
    )
    (pages.OUT / "latin.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
