"""Run Iskra's periodic jobs in one long-lived process (started by ``iskra serve``)."""

import logging
import os
import socket
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from iskra.core.schedule import scheduled_jobs, take_lease

logger = logging.getLogger(__name__)
# How often the loop wakes up to check whether a job is due or its parent has gone.
TICK_SECONDS = 15


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (publishing scheduled pages every minute, the apps' "
        "clean-ups) until stopped. `iskra serve` starts it on every app server; each job "
        "runs on one of them per period. --once runs each job that is due once, for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once, **options):
        jobs = scheduled_jobs()
        due = dict.fromkeys((job.name for job in jobs), 0.0)
        parent = os.getppid()
        holder = f"{socket.gethostname()}:{os.getpid()}"
        while True:
            for job in jobs:
                if time.monotonic() >= due[job.name]:
                    # Due here; it runs if no other app server has run it this period.
                    # Until then, ask again every tick, so that one server stopping does
                    # not stop the job.
                    if self._take(job, holder):
                        self._run(job)
                        due[job.name] = time.monotonic() + job.every
                    else:
                        due[job.name] = time.monotonic() + min(job.every, TICK_SECONDS)
            if once:
                return
            close_old_connections()
            # Started by `iskra serve`: stop when the server it belongs to has gone.
            if os.getppid() != parent:
                return
            time.sleep(max(1.0, min(TICK_SECONDS, min(due.values()) - time.monotonic())))

    def _take(self, job, holder):
        try:
            return take_lease(job, holder)
        except Exception:  # the database is away: try again next tick
            logger.exception("Could not take the lease of %s", job.name)
            return False

    def _run(self, job):
        try:
            result = job.run()
        except Exception:  # a failed job must not stop the others; it is retried next time
            logger.exception("Scheduled job %s failed", job.name)
            self.stderr.write(f"{job.name}: failed (see the log)")
        else:
            if result:
                self.stdout.write(f"{job.name}: {result}")
