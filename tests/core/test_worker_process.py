"""`iskra serve` runs a real background worker beside gunicorn: a publish enqueues its
tasks as rows, the worker process completes them, and it stops with the server."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import sites

ROOT = Path(__file__).resolve().parents[2]
ISKRA = [sys.executable, "-m", "iskra.cli"]
PUBLISH = """
from tests.factories import news
from iskra.news.models import SectionPage
section = SectionPage.objects.get(slug="news", locale__language_code="ru")
print(news.make_article(section, title="Фоновая работа идёт отдельно").pk)
"""


def tasks(database, first_arg):
    """The task results whose first argument is ``first_arg`` (a page's id)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT task_path, status, worker_ids, args_kwargs "
            "FROM django_tasks_database_dbtaskresult"
        ).fetchall()
    return [
        (path, status, ids)
        for path, status, ids, arguments in rows
        if json.loads(arguments)["args"][:1] == [first_arg]
    ]


def worker_pids(worker_id):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"run_worker" in command and worker_id.encode() in command:
                found.append(int(entry.name))
    return found


@pytest.fixture
def site(demo_site, tmp_path):
    sites.copy(demo_site, tmp_path)  # migrated, with the demo: as `make run` leaves it
    env = {
        **os.environ,
        "ISKRA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "iskra.settings.base",
        "PYTHONPATH": str(ROOT),
        "SCHEDULER": "off",
        "WORKER_INTERVAL": "0.2",
    }
    env.pop("TASKS_BACKEND", None)
    env.pop("REDIS_URL", None)
    return env, tmp_path / "site.sqlite3"


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux's /proc")
def test_serve_starts_a_worker_that_completes_a_publishs_tasks_and_stops_with_it(site):
    env, database = site
    port = sites.free_port()
    log = database.parent / "serve.log"  # a file: a pipe left unread would block the worker
    with log.open("w") as output:
        server = subprocess.Popen(
            [*ISKRA, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        worker_id = f"{socket.gethostname()}-{server.pid}"[:63]
        published = subprocess.run(
            [*ISKRA, "shell", "-c", PUBLISH],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        article = int(published.stdout.split()[-1])
        deadline = time.monotonic() + 90  # the demo's own tasks come first
        while time.monotonic() < deadline:
            found = tasks(database, article)
            if found and all(status == "SUCCESSFUL" for _path, status, _ids in found):
                break
            time.sleep(0.3)
        paths = {path for path, _status, _ids in found}
        assert "iskra.news.tasks.refresh_related" in paths
        assert all(status == "SUCCESSFUL" for _path, status, _ids in found), found
        assert all(worker_id in ids for _path, _status, ids in found)  # serve's own worker
        workers = worker_pids(worker_id)
        assert len(workers) == 1
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            health = json.load(answer)
        assert health["status"] == "ok", health
        assert health["workers"]["alive"] == 1  # the worker's heartbeat
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert "Background worker started" in log.read_text()
    deadline = time.monotonic() + 15
    while worker_pids(worker_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not worker_pids(worker_id), "the worker outlived its server"
