import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

from iskra.core.database import refresh_statistics


def default_workers():
    """Return gunicorn's worker count: WEB_CONCURRENCY, else two per core plus one (max 8)."""
    configured = os.environ.get("WEB_CONCURRENCY")
    if configured:
        return int(configured)
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def _switched_on(name):
    return os.environ.get(name, "on").lower() not in {"0", "false", "no", "off"}


def _stop_with_parent():
    """In a child, before it runs: have Linux send it SIGTERM when its parent (this
    process, which becomes gunicorn) dies, so no worker outlives its server."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: no such call
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _start(*arguments):
    # Our own commands, no shell.
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "iskra.cli", *arguments],
        close_fds=True,
        preexec_fn=_stop_with_parent,  # noqa: PLW1509  (no threads yet in this process)
    )


class Command(BaseCommand):
    help = "Serve Iskra with gunicorn on HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers())

    def collect_static_if_missing(self):
        # A new var folder (a new app server, a site restored elsewhere) has no collected
        # static files, and the manifest storage fails every page without them.
        read_manifest = getattr(staticfiles_storage, "read_manifest", None)
        if read_manifest is not None and read_manifest() is None:
            self.stdout.write(f"Collecting the static files into {settings.STATIC_ROOT}")
            self.stdout.flush()
            call_command("collectstatic", interactive=False, verbosity=0)

    def handle(self, *args, host, port, workers, **options):
        self.collect_static_if_missing()
        # Fresh planner statistics for the content as it is now (SQLite only).
        refresh_statistics()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "iskra.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
        ]
        # Recycling workers re-imports Django and Wagtail (a second or two of a busy
        # worker), so it is off unless asked for, as a guard against a leak.
        max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
        if max_requests > 0:
            command += ["--max-requests", str(max_requests), "--max-requests-jitter", "100"]
        if os.environ.get("ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"}:
            command += ["--access-logfile", "-"]
        self.stdout.write(f"Iskra at http://{host}:{port}/ ({workers} workers; Ctrl+C stops)")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")
        if _switched_on("SCHEDULER"):
            # Periodic jobs beside the server, on every app server (each job runs on one
            # of them per period); it stops when gunicorn (which replaces this process)
            # has gone.
            _start("run_schedule")
        if _switched_on("WORKER") and settings.TASKS["default"]["BACKEND"].startswith(
            "django_tasks_db."
        ):
            # The background worker: takes the tasks the site enqueues (Telegram posts,
            # editions, related lists, index updates). On PostgreSQL any number of them
            # share the queue; on SQLite there is one app server, so one worker.
            _start(
                "run_worker",
                "--interval",
                os.environ.get("WORKER_INTERVAL", "1"),
                "--worker-id",
                f"{socket.gethostname()}-{os.getpid()}"[:63],
            )
            self.stdout.write("Background worker started (WORKER=off turns it off)")
            self.stdout.flush()
        os.execv(sys.executable, command)  # noqa: S606  (replaces this process with gunicorn)
