"""Background work: tasks as database rows, retries, the report, the periodic jobs' lease."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from iskra.core import background
from iskra.core.models import ScheduleLease
from iskra.core.schedule import Job, take_lease
from tests.core.background_tasks import adds, always_fails

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    """Tasks as rows for the worker (the test settings run them where they are enqueued)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ISKRA_TASK_RETRY_DELAYS = (0,)
    return settings


def work():
    """Run a worker until the queue is empty (the command `iskra serve` starts). Inside a
    test's transaction SQLite cannot BEGIN EXCLUSIVE, so the worker takes its task in a
    savepoint here; test_worker_process.py runs the real process on a real database."""
    from django.db import transaction
    from django_tasks_db.management.commands import db_worker

    # Nor may it close the test's connection between tasks (close_old_connections closes
    # a connection whose autocommit differs from the settings', as a test's does).
    original = db_worker.exclusive_transaction, db_worker.close_old_connections
    db_worker.exclusive_transaction = lambda using=None: transaction.atomic(using=using)
    db_worker.close_old_connections = lambda **kwargs: None
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        db_worker.exclusive_transaction, db_worker.close_old_connections = original


def test_an_enqueued_task_waits_for_the_worker_and_the_worker_runs_it(database_tasks):
    result = adds.enqueue(2, 3)

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    work()

    done = DBTaskResult.objects.get(pk=result.id)
    assert (done.status, done.return_value) == (TaskResultStatus.SUCCESSFUL, 5)


def test_a_failing_task_is_tried_a_bounded_number_of_times_then_left_with_its_error(database_tasks):
    database_tasks.ISKRA_TASK_ATTEMPTS = 3
    always_fails.enqueue("timeout")

    work()

    runs = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [run.status for run in runs] == [TaskResultStatus.FAILED] * 3
    assert [background.attempt_of(run) for run in runs] == [1, 2, 3]
    assert all("RuntimeError: the remote end said no: timeout" in run.traceback for run in runs)


def test_the_report_shows_failed_work_with_its_error_and_retries_it_by_hand(
    database_tasks, admin_client, settings
):
    database_tasks.ISKRA_TASK_ATTEMPTS = 1
    always_fails.enqueue("bad token")
    work()
    failed = DBTaskResult.objects.get()

    page = admin_client.get("/admin/reports/background-work/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "tests.core.background_tasks.always_fails" in html
    assert "RuntimeError: the remote end said no: bad token" in html
    assert "1 из 1" in html  # the admin speaks Russian by default
    assert f"/admin/reports/background-work/{failed.pk}/retry/" in html

    answer = admin_client.post(f"/admin/reports/background-work/{failed.pk}/retry/")

    assert answer.status_code == 302
    again = DBTaskResult.objects.exclude(pk=failed.pk).get()
    assert again.status == TaskResultStatus.READY
    assert again.args_kwargs == {"args": ["bad token"], "kwargs": {}}
    html = admin_client.get("/admin/reports/background-work/").content.decode()
    assert f"/admin/reports/background-work/{failed.pk}/retry/" not in html  # retried once


def test_the_report_names_a_task_and_links_its_page(database_tasks, admin_client, news_section):
    from iskra.news.tasks import refresh_related

    refresh_related.enqueue(news_section.pk)

    html = admin_client.get("/admin/reports/background-work/").content.decode()

    assert "Похожие материалы" in html
    assert f"/admin/pages/{news_section.pk}/edit/" in html


def test_the_report_is_for_admin_users_only(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)

    assert client.get("/admin/reports/background-work/").status_code in (302, 403)


def test_a_task_whose_worker_died_is_queued_again_and_old_results_are_deleted(database_tasks):
    stalled = DBTaskResult.objects.get(pk=adds.enqueue(1, 1).id)
    stalled.status = TaskResultStatus.RUNNING
    stalled.started_at = timezone.now() - datetime.timedelta(hours=2)
    stalled.save()
    old = DBTaskResult.objects.get(pk=adds.enqueue(2, 2).id)
    old.status, old.finished_at = (
        TaskResultStatus.SUCCESSFUL,
        timezone.now() - datetime.timedelta(days=30),
    )
    old.save()

    assert background.requeue_stalled() == "1 stalled task(s) queued again"
    assert background.prune_results() == "1 old task result(s) deleted"
    work()

    assert DBTaskResult.objects.get(pk=stalled.pk).return_value == 2
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()


def test_a_periodic_job_runs_on_one_server_per_period():
    job = Job("clean", 60, lambda: "")
    now = timezone.now()

    assert take_lease(job, "app1:10", now)
    assert not take_lease(job, "app2:20", now)  # the other server, the same minute
    assert not take_lease(job, "app1:10", now + datetime.timedelta(seconds=59))
    assert take_lease(job, "app2:20", now + datetime.timedelta(seconds=61))
    assert ScheduleLease.objects.get(name="clean").holder == "app2:20"


def test_run_schedule_once_leaves_a_job_run_by_another_server_alone():
    first, second = io.StringIO(), io.StringIO()

    call_command("run_schedule", "--once", stdout=first)
    call_command("run_schedule", "--once", stdout=second)

    leases = dict(ScheduleLease.objects.values_list("name", "holder"))
    assert {"publish_scheduled", "requeue_stalled_tasks", "prune_task_results"} <= set(leases)
    assert all(re.fullmatch(r".+:\d+", holder) for holder in leases.values())
    runs = ScheduleLease.objects.get(name="prune_task_results").last_run
    call_command("run_schedule", "--once", stdout=io.StringIO())
    assert ScheduleLease.objects.get(name="prune_task_results").last_run == runs


def test_a_task_whose_item_was_deleted_is_not_retried_nor_shown_as_a_problem(
    database_tasks, admin_client
):
    from tests.core.background_tasks import works_on_a_person

    works_on_a_person.enqueue(987654)
    work()

    (gone,) = DBTaskResult.objects.all()
    assert gone.status == TaskResultStatus.FAILED  # once: trying again cannot help
    problems = admin_client.get("/admin/reports/background-work/").content.decode()
    everything = admin_client.get("/admin/reports/background-work/?show=all").content.decode()
    assert "works_on_a_person" not in problems
    assert "works_on_a_person" in everything
    assert "её объект удалён до запуска" in everything
