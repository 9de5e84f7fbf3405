"""Python function calls per uncached page view: a deterministic measure of how much work
a page costs, for comparing two versions where wall-clock time is too noisy.

Runs Django's test client in this process against the site `bench/pages.py` built
(`bench/out/var`), with the page cache off, and counts calls with cProfile over 20 views
after 5 warm-up views. To measure another checkout on its own copy of the site:

    .venv/bin/python bench/calls.py                       # this checkout, bench/out/var
    .venv/bin/python bench/calls.py --baseline /tmp/base/src --var bench/out/var-baseline
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/ru/", "/ru/news/", "/ru/news/bench-0/"]


def count(paths, views=20):
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for path in paths:
        for _ in range(5):
            client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(views):
            response = client.get(path)
        profile.disable()
        calls = pstats.Stats(profile, stream=io.StringIO()).total_calls // views
        print(f"{path}\t{response.status_code}\t{calls} calls per view")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=ROOT / "bench" / "out" / "var")
    parser.add_argument("--baseline", type=Path, help="the src/ of another checkout")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        count(PATHS)
        return
    var = args.var.resolve()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="iskra.settings.base",
        # Tasks inside the command or request (no worker competing for the CPU, and what
        # the figures before the worker measured); see docs/benchmarks.md.
        TASKS_BACKEND="immediate",
        ISKRA_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'bench.sqlite3'}",
        PAGE_CACHE_SECONDS="0",
        ALLOWED_HOSTS="testserver",
    )
    env.pop("REDIS_URL", None)
    if args.baseline:
        env["PYTHONPATH"] = str(args.baseline)
    subprocess.run([sys.executable, __file__, "--inside"], env=env, check=True)


if __name__ == "__main__":
    main()
