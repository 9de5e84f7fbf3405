"""Periodic jobs: the core publishes scheduled pages; apps add theirs through a hook.

``iskra run_schedule`` runs them (``iskra serve`` starts it beside gunicorn on every app
server); apps register with ``@hooks.register("iskra_scheduled_jobs")`` returning a list
of ``Job``. Each job runs once per period across all app servers: before running it, a
server takes the job's lease (``take_lease``), a row whose next due time only one server
can move on.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail import hooks

from . import background
from .models import ScheduleLease


@dataclass(frozen=True)
class Job:
    """Run ``run()`` every ``every`` seconds; it returns a line for the log, or "" when
    there was nothing to do."""

    name: str
    every: int
    run: Callable[[], str]


def _publish_scheduled():
    call_command("publish_scheduled", verbosity=0)
    return ""


def scheduled_jobs():
    """Return the core's jobs and those the apps register."""
    jobs = [
        Job("publish_scheduled", 60, _publish_scheduled),
        Job("requeue_stalled_tasks", 300, background.requeue_stalled),
        Job("prune_task_results", 6 * 3600, background.prune_results),
    ]
    for hook in hooks.get_hooks("iskra_scheduled_jobs"):
        jobs.extend(hook())
    return jobs


def take_lease(job, holder, now=None):
    """Return whether this server (``holder``) may run ``job`` now: True for exactly one of
    the servers asking once the job is due, which moves its next due time one period on."""
    now = now or timezone.now()
    if not ScheduleLease.objects.filter(name=job.name).exists():
        try:
            with transaction.atomic():
                ScheduleLease.objects.create(name=job.name, next_run=now)
        except IntegrityError:
            pass  # another server created it first
    taken = ScheduleLease.objects.filter(name=job.name, next_run__lte=now).update(
        next_run=now + datetime.timedelta(seconds=job.every), last_run=now, holder=holder
    )
    return taken == 1
