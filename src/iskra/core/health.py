"""``/healthz``: whether this app server can serve, for a load balancer that asks every
second and for the volunteer's monitoring.

Answered by the first middleware, before sessions, languages or the page cache, and
never cached. JSON with the state of the database, the cache, the background workers
(their last heartbeat) and the free disk. The status is ``ok``, ``degraded`` (the cache is
away, so pages come from the database, slower; no worker has been seen for a minute; the
disk is nearly full) or ``down`` (the database cannot be reached, or the disk is full):
503 for ``down`` only, so that a balancer takes a server out only when it cannot serve.
"""

import datetime
import json
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.utils import timezone

PATH = "/healthz"
WORKER_STALE_SECONDS = 60
DISK_LOW_BYTES = 500 * 1024 * 1024  # degraded: uploads and backups may fail soon
DISK_FULL_BYTES = 50 * 1024 * 1024  # down: SQLite and the media cannot be written


def _timed(check):
    started = time.perf_counter()
    try:
        state = check()
    except Exception as error:  # any failure of a dependency is its state, not ours
        state = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    state["ms"] = round((time.perf_counter() - started) * 1000, 2)
    return state


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _cache():
    cache.set("iskra:healthz", "1", 30)
    if cache.get("iskra:healthz") != "1":
        return {"ok": False, "error": "the cache does not keep what it is given"}
    return {"ok": True, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _workers():
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return {"ok": True, "mode": "immediate"}  # tasks run in the requests: no worker
    from .models import WorkerHeartbeat

    since = timezone.now() - datetime.timedelta(seconds=WORKER_STALE_SECONDS)
    found = WorkerHeartbeat.objects.aggregate(
        seen=Max("seen_at"), alive=Count("pk", filter=Q(seen_at__gte=since))
    )  # one query: a balancer may ask every second
    if found["seen"] is None:
        return {"ok": False, "error": "no worker has reported"}
    age = (timezone.now() - found["seen"]).total_seconds()
    return {
        "ok": age <= WORKER_STALE_SECONDS,
        "last_heartbeat_s": round(age, 1),
        "alive": found["alive"],
    }


def _disk():
    media = Path(settings.MEDIA_ROOT)
    usage = shutil.disk_usage(media if media.exists() else settings.VAR_DIR)
    return {"ok": usage.free > DISK_LOW_BYTES, "free_mb": usage.free // (1024 * 1024)}


def health():
    """Return (status, checks) of this app server."""
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    checks["workers"] = _timed(_workers) if checks["database"]["ok"] else {"ok": False}
    checks["disk"] = _timed(_disk)
    full = checks["disk"].get("free_mb", 0) * 1024 * 1024 < DISK_FULL_BYTES
    if not checks["database"]["ok"] or full:
        status = "down"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return status, checks


class HealthCheckMiddleware:
    """Answer ``/healthz`` before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        status, checks = health()
        response = HttpResponse(
            json.dumps({"status": status, **checks}),
            content_type="application/json",
            status=503 if status == "down" else 200,
        )
        response["Cache-Control"] = "no-store"
        return response
