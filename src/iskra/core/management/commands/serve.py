import os
import subprocess
import sys

from django.core.management.base import BaseCommand

from iskra.core.database import refresh_statistics


def default_workers():
    """Return gunicorn's worker count: WEB_CONCURRENCY, else two per core plus one (max 8)."""
    configured = os.environ.get("WEB_CONCURRENCY")
    if configured:
        return int(configured)
    return min(2 * (os.cpu_count() or 1) + 1, 8)


class Command(BaseCommand):
    help = "Serve Iskra with gunicorn on HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers())

    def handle(self, *args, host, port, workers, **options):
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
        if os.environ.get("SCHEDULER", "on").lower() not in {"0", "false", "no", "off"}:
            # Periodic jobs beside the server; the child stops when gunicorn (which
            # replaces this process) has gone. Turn it off on all but one app server.
            subprocess.Popen(  # noqa: S603  (our own command, no shell)
                [sys.executable, "-m", "iskra.cli", "run_schedule"], close_fds=True
            )
        os.execv(sys.executable, command)  # noqa: S606  (replaces this process with gunicorn)
