"""Background work: tasks are rows in the database (django-tasks-db), taken by the worker
that ``iskra serve`` starts beside gunicorn on every app server.

- A failing task is tried again after a delay, up to ``ISKRA_TASK_ATTEMPTS`` attempts in
  all; then it stays failed, with its error, in *Reports › Background work*, where it can be
  retried by hand (``retry``). A task whose object was deleted before it ran (``is_moot``)
  is not retried and not counted as a problem.
- A task whose worker died while running it (a killed server) is put back in the queue by
  the periodic job ``requeue_stalled``; finished results older than
  ``ISKRA_TASK_RESULTS_DAYS`` are deleted by ``prune_results``.
- Apps describe their tasks for the report (``describe_task``): a label a person
  understands, and the page a run was about.

With the immediate backend (the tests, ``TASKS_BACKEND=immediate``) a task runs where it
is enqueued and none of this applies.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import TaskAttempt

logger = logging.getLogger(__name__)

# A task running longer than this is taken to have lost its worker (the longest task, a
# large collected volume, takes seconds; an import's admin-search catch-up, minutes).
STALLED_AFTER = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class TaskDescription:
    label: str  # what the report shows for the task ("Telegram post")
    page_of: Callable | None = None  # (args, kwargs) -> a page id, or None


_DESCRIPTIONS = {}


def describe_task(task, label, *, page_of=None):
    """Register how *Reports › Background work* names ``task`` (a django-tasks task) and,
    with ``page_of(args, kwargs)``, which page a run of it concerns."""
    _DESCRIPTIONS[task.module_path] = TaskDescription(label, page_of)


def label_of(task_path):
    """Return what the report calls a task: its registered label, else its path."""
    description = _DESCRIPTIONS.get(task_path)
    return description.label if description else task_path


def page_id_of(result):
    """Return the id of the page a task result concerns, or None."""
    description = _DESCRIPTIONS.get(result.task_path)
    if description is None or description.page_of is None:
        return None
    try:
        args_kwargs = result.args_kwargs or {}
        return description.page_of(args_kwargs.get("args", []), args_kwargs.get("kwargs", {}))
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def is_moot(result):
    """Return whether a failed task failed because what it was to work on was deleted
    before it ran (Wagtail's index tasks for a row replaced by a later save): trying
    again cannot help, and nothing is wrong."""
    return result.exception_class_path.endswith(".DoesNotExist")


def attempt_of(result):
    """Return which attempt a task result is (1 for the first run)."""
    found = TaskAttempt.objects.filter(result_id=result.pk).values_list("attempt", flat=True)
    return next(iter(found), 1)


def _enqueue_again(result, *, attempt, delay=None):
    """Enqueue the task of ``result`` again with its arguments; return the new result."""
    task = result.task
    if delay:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    args_kwargs = result.args_kwargs or {}
    again = task.enqueue(*args_kwargs.get("args", []), **args_kwargs.get("kwargs", {}))
    TaskAttempt.objects.create(result_id=again.id, attempt=attempt, retry_of_id=result.pk)
    return again


def enqueue_once(task, *, delay=0):
    """Enqueue ``task`` (without arguments) to run in ``delay`` seconds, unless a run of
    it is already waiting: work that does everything at once (the mirror's update) is
    queued once however many changes ask for it. Return the task result, or None."""
    if isinstance(task.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return None
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    return task.enqueue()


def retry(result):
    """Enqueue a failed task again by hand (a new first attempt); return the new result."""
    return _enqueue_again(result, attempt=1)


def _retry_failed(sender, task_result, **kwargs):
    """``task_finished``: try a failed task again after a delay, a bounded number of times."""
    if not (isinstance(sender, type) and issubclass(sender, DatabaseBackend)):
        return
    if task_result.status != TaskResultStatus.FAILED:
        return
    result = DBTaskResult.objects.filter(pk=task_result.id).first()
    if result is None or is_moot(result):
        return
    attempt = attempt_of(result)
    if attempt >= settings.ISKRA_TASK_ATTEMPTS:
        logger.error("Task %s failed %d times; giving up", result.task_path, attempt)
        return
    delays = settings.ISKRA_TASK_RETRY_DELAYS
    delay = delays[min(attempt - 1, len(delays) - 1)] if delays else 0
    with transaction.atomic():
        _enqueue_again(result, attempt=attempt + 1, delay=delay)


def _page_of_object(args, kwargs):
    """The page of Wagtail's per-object tasks (app label, model name, primary key)."""
    from django.apps import apps
    from wagtail.models import Page

    model = apps.get_model(args[0], args[1])
    return args[2] if issubclass(model, Page) else None


def connect():
    from django.utils.translation import gettext_lazy as _
    from modelsearch.tasks import insert_or_update_object_task
    from wagtail.images.tasks import set_image_focal_point_task
    from wagtail.tasks import delete_file_from_storage_task, update_reference_index_task

    task_finished.connect(_retry_failed, dispatch_uid="iskra-retry-failed-tasks")
    describe_task(insert_or_update_object_task, _("Admin search index"), page_of=_page_of_object)
    describe_task(update_reference_index_task, _("Where items are used"), page_of=_page_of_object)
    describe_task(set_image_focal_point_task, _("Image focal point"))
    describe_task(delete_file_from_storage_task, _("Deleting a replaced file"))


def requeue_stalled(now=None):
    """Put tasks whose worker died while running them back in the queue; return a line."""
    now = now or timezone.now()
    stalled = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - STALLED_AFTER
    )
    count = stalled.update(status=TaskResultStatus.READY, started_at=None, run_after=now)
    return f"{count} stalled task(s) queued again" if count else ""


def prune_results(now=None):
    """Delete finished task results older than ``ISKRA_TASK_RESULTS_DAYS``; return a line."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ISKRA_TASK_RESULTS_DAYS)
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    count, _detail = DBTaskResult.objects.filter(
        status__in=finished, finished_at__lt=cutoff
    ).delete()
    return f"{count} old task result(s) deleted" if count else ""
