"""The background worker ``iskra serve`` starts: django-tasks-db's ``db_worker`` with a
heartbeat, so that ``/healthz`` can tell whether a worker is alive."""

import logging
import threading
import time

from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from iskra.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10


def _beat(worker_id, stop):
    while not stop.is_set():
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=worker_id, defaults={"seen_at": timezone.now()}
            )
        except Exception:  # the database is away: say so, try again
            logger.exception("Worker %s could not write its heartbeat", worker_id)
            connection.close()
        stop.wait(HEARTBEAT_SECONDS)
    connection.close()


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker) and record its heartbeat "
        "every 10 seconds for /healthz. `iskra serve` starts it unless WORKER=off."
    )

    def handle(self, *args, worker_id, **options):
        worker_id = worker_id or f"worker-{int(time.time())}"
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(worker_id, stop), daemon=True)
        beat.start()
        try:
            return super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()  # gone, not stale
