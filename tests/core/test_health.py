"""/healthz: the state of the database, the cache, the workers and the disk, for a load
balancer (503 only when this server cannot serve) and for monitoring."""

import datetime

import pytest
from django.utils import timezone

from iskra.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_answers_json_and_is_never_cached(client):
    first = client.get("/healthz")
    body = first.json()

    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first["Cache-Control"] == "no-store"
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["cache"]["ok"]
    assert body["workers"] == {"ok": True, "mode": "immediate", "ms": body["workers"]["ms"]}
    assert body["disk"]["free_mb"] > 0
    assert "Set-Cookie" not in first  # no session, no language cookie


def test_a_worker_seen_within_a_minute_is_ok_and_a_silent_one_degrades(client, settings):
    settings.TASKS = DATABASE_TASKS

    assert client.get("/healthz").json()["workers"]["error"] == "no worker has reported"
    WorkerHeartbeat.objects.create(worker_id="app1-10", seen_at=timezone.now())
    fresh = client.get("/healthz").json()
    assert fresh["status"] == "ok"
    assert (fresh["workers"]["ok"], fresh["workers"]["alive"]) == (True, 1)

    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(minutes=5))
    stale = client.get("/healthz")

    assert stale.status_code == 200  # the site still serves: a balancer keeps it
    assert stale.json()["status"] == "degraded"
    assert stale.json()["workers"]["last_heartbeat_s"] >= 300


def test_a_cache_that_is_away_degrades_but_does_not_take_the_server_out(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }

    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"
    assert answer.json()["cache"]["ok"] is False
    assert "ConnectionError" in answer.json()["cache"]["error"]
