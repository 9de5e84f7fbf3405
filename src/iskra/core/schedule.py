"""Periodic jobs: the core publishes scheduled pages; apps add theirs through a hook.

``iskra run_schedule`` runs them (``iskra serve`` starts it beside gunicorn); apps
register with ``@hooks.register("iskra_scheduled_jobs")`` returning a list of ``Job``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from wagtail import hooks


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
    jobs = [Job("publish_scheduled", 60, _publish_scheduled)]
    for hook in hooks.get_hooks("iskra_scheduled_jobs"):
        jobs.extend(hook())
    return jobs
