"""Page-serving benchmark: Iskra (cached and uncached) next to nginx, measured with wrk.

Builds a site of 5,000 Russian articles (texts from ../shared/data, used only here),
serves it with `iskra serve` (2 gunicorn sync workers), nginx serving the same article
HTML as a static file, and nginx serving the site's static copy to anonymous readers as
deploy/nginx/iskra.conf does (`iskra export-mirror`, then `try_files` on the baked page,
the rest to the app), then runs `wrk -t2 -c16 -d15s` three times against each target in
one run. Prints req/s and p50/p99 medians and each page's ratio to nginx's req/s in the
same round, and writes them to bench/out/pages.json. Before serving, it times the full
export of the copy and an export after one article was edited and published again.

    .venv/bin/python bench/pages.py [--articles 5000] [--rounds 3] [--duration 15]
        [--baseline PATH/src]

``--baseline`` also builds and serves the same site with the code of another checkout
(e.g. ``git worktree add /tmp/base <commit>``, then ``--baseline /tmp/base/src``), in the
same rounds, so a change is measured against the code before it on the same machine load.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NEWS = ROOT.parent / "shared" / "data" / "news" / "ru_news_rt_ng.jsonl.gz"
ISKRA = str(Path(sys.executable).with_name("iskra"))
PORTS = {
    "cached": 8101,
    "uncached": 8102,
    "nginx": 8103,
    "cached-baseline": 8104,
    "uncached-baseline": 8105,
    "baked": 8106,
}
MIRROR = OUT / "mirror"


def environment(var_dir, page_cache=True, src=None):
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = str(src)  # ahead of the editable install of this checkout
    env.update(
        ISKRA_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'bench.sqlite3'}",
        BASE_URL="http://127.0.0.1:8101",
        PAGE_CACHE_SECONDS="600" if page_cache else "0",
        WEB_CONCURRENCY="2",
        DJANGO_SETTINGS_MODULE="iskra.settings.base",
        # Tasks inside the command or request (no worker competing for the CPU, and what
        # the figures before the worker measured); see docs/benchmarks.md.
        TASKS_BACKEND="immediate",
    )
    env.pop("REDIS_URL", None)
    return env


def generate(count):
    """Add ``count`` articles to the demo site's Russian sections (runs inside Django)."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from wagtail.images import get_image_model

    from iskra.news.models import ArticlePage, ArticleTag, SectionPage

    sections = list(SectionPage.objects.filter(locale__language_code="ru").order_by("path"))
    images = list(get_image_model().objects.filter(title__startswith="Иллюстрация"))
    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        corpus = [json.loads(line) for line in handle]
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        for index in range(count):
            item = corpus[index % len(corpus)]
            section = sections[index % len(sections)]
            paragraphs = [p for p in item["text"].split("\n") if p.strip()][:12]
            article = section.add_child(
                instance=ArticlePage(
                    title=item["title"][:250] or f"Статья {index}",
                    slug=f"bench-{index}",
                    lead=(item.get("summary") or "")[:600],
                    date=now - timezone.timedelta(minutes=index * 17),
                    body=[{"type": "paragraph", "value": f"<p>{p}</p>"} for p in paragraphs],
                    cover_image=images[index % len(images)] if index % 2 else None,
                    locale=section.locale,
                )
            )
            for keyword in item.get("keywords", [])[:4]:
                ArticleTag.objects.create(content_object=article, tag=_tag(keyword[:100]))
    print(f"generated {count} articles in {time.perf_counter() - started:.0f} s")
    print(ArticlePage.objects.filter(slug="bench-0").first().url)


_TAGS = {}


def _tag(name):
    from taggit.models import Tag

    if name not in _TAGS:
        _TAGS[name] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    return _TAGS[name]


def export(touch):
    """Inside Django: (after editing an article when ``touch``) export the copy; print the
    report as JSON."""
    import django

    django.setup()
    from iskra.news.models import ArticlePage
    from iskra.publishing.services import export_mirror

    if touch:
        article = ArticlePage.objects.get(slug="bench-1")
        article.title = f"{article.title} (исправлено)"
        article.save_revision().publish()
    started = time.perf_counter()
    report = export_mirror(MIRROR, full=not touch)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "incremental": report.is_incremental,
                "pages": report.pages,
                "rendered": report.rendered,
                "written": report.written,
                "files": report.files,
                "megabytes": report.bytes / 1e6,
                "search_documents": report.search_documents,
                "broken": len(report.broken),
            }
        )
    )


def export_copy(var_dir, touch=False):
    env = environment(var_dir)
    result = run(
        [sys.executable, __file__, "--export", "touch" if touch else "full"],
        env,
        stdout=subprocess.PIPE,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(("after one edit: " if touch else "full export: ") + json.dumps(figures))
    return figures


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, check=True, text=True, **kwargs)


def build_site(var_dir, count, src=None):
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    env = environment(var_dir, src=src)
    run([ISKRA, "migrate", "--noinput", "-v0"], env)
    run([ISKRA, "collectstatic", "--noinput", "-v0"], env)
    run([ISKRA, "demo"], env, stdout=subprocess.DEVNULL)
    run([sys.executable, __file__, "--generate", str(count)], env)
    # The articles were added without the publishing workflow: index them and rank their
    # related lists as publishing would have.
    run([ISKRA, "rebuild_search_index"], env, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    run([ISKRA, "refresh_related"], env, stdout=subprocess.DEVNULL)
    print(f"ranked related articles in {time.perf_counter() - started:.0f} s")


def start_iskra(var_dir, name, page_cache, src=None):
    env = environment(var_dir, page_cache, src)
    env["PORT"] = str(PORTS[name])
    log = open(OUT / f"{name}.log", "w")  # noqa: SIM115  (lives as long as the server)
    return subprocess.Popen(
        [ISKRA, "serve", "--workers", "2"],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def start_nginx(html, mirror):
    root = OUT / "nginx"
    shutil.rmtree(root, ignore_errors=True)
    (root / "html").mkdir(parents=True)
    (root / "html" / "article.html").write_bytes(html)
    config = f"""
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  types {{ text/html html; application/json json; }}
  client_body_temp_path {root}/tmp;
  proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp;
  scgi_temp_path {root}/tmp;
  server {{
    listen 127.0.0.1:{PORTS["nginx"]};
    root {root}/html;
  }}
  # As deploy/nginx/iskra.conf serves the copy to anonymous readers (without TLS).
  map "$request_method|$cookie_sessionid|$args" $iskra_baked {{
    default "/-";
    "GET||" "";
    "HEAD||" "";
  }}
  server {{
    listen 127.0.0.1:{PORTS["baked"]};
    include {mirror}/nginx-app-only.conf*;
    location = / {{ try_files /-/ @iskra_app; }}
    location / {{
      root {mirror};
      try_files $iskra_baked${{uri}}index.html @iskra_app;
      charset utf-8;
      add_header Content-Security-Policy "frame-ancestors 'none'" always;
      add_header X-Frame-Options DENY always;
      add_header X-Content-Type-Options nosniff always;
      add_header Referrer-Policy strict-origin-when-cross-origin always;
      add_header Cross-Origin-Opener-Policy same-origin always;
      add_header X-Iskra-Cache baked always;
    }}
    location @iskra_app {{ proxy_pass http://127.0.0.1:{PORTS["uncached"]}; }}
  }}
}}
"""
    (root / "nginx.conf").write_text(config)
    subprocess.run(["nginx", "-c", str(root / "nginx.conf"), "-p", str(root)], check=True)
    return root


def wait_for(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (loopback)
                return response.read()
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def wrk(url, duration):
    result = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = _latency(re.search(r"50%\s+([\d.]+\w+)", text).group(1))
    p99 = _latency(re.search(r"99%\s+([\d.]+\w+)", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} error responses")
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99}


def _latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def measure(args):
    OUT.mkdir(parents=True, exist_ok=True)
    var_dir = OUT / "var"
    if not NEWS.exists():
        print(f"skipped: {NEWS} is absent (the benchmark needs the shared news corpus)")
        return
    baseline_dir = OUT / "var-baseline"
    if not args.reuse:
        build_site(var_dir, args.articles)
        if args.baseline:
            build_site(baseline_dir, args.articles, src=args.baseline)
    if args.build_only:
        return
    exports = {"full": export_copy(var_dir), "after one edit": export_copy(var_dir, touch=True)}
    servers = [start_iskra(var_dir, "cached", True), start_iskra(var_dir, "uncached", False)]
    if args.baseline:
        servers += [
            start_iskra(baseline_dir, "cached-baseline", True, args.baseline),
            start_iskra(baseline_dir, "uncached-baseline", False, args.baseline),
        ]
    nginx_root = None
    try:
        base = {name: f"http://127.0.0.1:{port}" for name, port in PORTS.items()}
        kinds = ["cached", "uncached"]
        if args.baseline:
            kinds += ["cached-baseline", "uncached-baseline"]
        pages = {"home": "/ru/", "section": "/ru/news/", "article": "/ru/news/bench-0/"}
        for path in ["/ru/", *pages.values()]:
            for name in kinds:
                wait_for(base[name] + path)
        article_html = wait_for(base["uncached"] + pages["article"])
        nginx_root = start_nginx(article_html, MIRROR.resolve())
        wait_for(base["nginx"] + "/article.html")
        wait_for(base["baked"] + pages["article"])
        targets = {
            "nginx article (static file)": base["nginx"] + "/article.html",
            "article, baked copy through nginx": base["baked"] + pages["article"],
        }
        for page, path in pages.items():
            targets[f"{page}, uncached"] = base["uncached"] + path
            targets[f"{page}, cached"] = base["cached"] + path
            if args.baseline:
                targets[f"{page}, uncached (baseline)"] = base["uncached-baseline"] + path
                targets[f"{page}, cached (baseline)"] = base["cached-baseline"] + path
        rounds = []
        for number in range(args.rounds):
            results = {name: wrk(url, args.duration) for name, url in targets.items()}
            nginx_rps = results["nginx article (static file)"]["rps"]
            for result in results.values():
                result["ratio"] = result["rps"] / nginx_rps
            rounds.append(results)
            print(
                f"round {number + 1}: "
                + ", ".join(f"{name} {r['rps']:.0f}/s" for name, r in results.items())
            )
        report(rounds, args, exports)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        if nginx_root:
            subprocess.run(
                [
                    "nginx",
                    "-c",
                    str(nginx_root / "nginx.conf"),
                    "-p",
                    str(nginx_root),
                    "-s",
                    "stop",
                ],
                check=False,
            )


def report(rounds, args, exports):
    summary = {}
    for name in rounds[0]:
        summary[name] = {
            key: statistics.median(r[name][key] for r in rounds)
            for key in ("rps", "p50_ms", "p99_ms", "ratio")
        }
    (OUT / "pages.json").write_text(
        json.dumps({"rounds": rounds, "median": summary, "exports": exports}, indent=2)
    )
    for name, figures in exports.items():
        print(
            f"export-mirror, {name}: {figures['seconds']:.1f} s, {figures['rendered']} "
            f"addresses rendered, {figures['written']} files written; the copy: "
            f"{figures['pages']} pages, {figures['files']} files, {figures['megabytes']:.0f} MB"
        )
    print(
        f"\nwrk -t2 -c16 -d{args.duration}s, medians of {args.rounds} rounds, "
        f"{args.articles} articles, SQLite, 2 gunicorn sync workers"
    )
    print("| target | req/s | p50 ms | p99 ms | ratio to nginx |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, row in summary.items():
        print(
            f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | "
            f"{row['ratio']:.4f} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="keep the generated site")
    parser.add_argument("--build-only", action="store_true", help="build, measure later")
    parser.add_argument("--baseline", type=Path, help="the src/ of a checkout to compare with")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export", choices=["full", "touch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
    elif args.export:
        export(args.export == "touch")
    else:
        measure(args)


if __name__ == "__main__":
    main()
