"""Two app servers delivering the same post at once send one message (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from iskra.telegram import services
from iskra.telegram.models import Delivery, PostStatus, TelegramPost

pytestmark = pytest.mark.django_db


def in_own_connection(function, *args):
    """Run ``function`` in a thread with its own (autocommit) database connection."""
    from django.db import connections

    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except Exception as error:  # reported to the test below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def run_concurrently(function, args_list):
    started = [in_own_connection(function, *args) for args in args_list]
    for thread, _outcome in started:
        thread.join(60)
    for _thread, outcome in started:
        if "error" in outcome:
            raise outcome["error"]
    return [outcome.get("value") for _thread, outcome in started]


@pytest.fixture
def committed_post(demo_report, bot_api):
    """A waiting post for the (committed) demo demo_report article, committed too."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are tested on PostgreSQL (.ci/run runs it)")

    def create():
        return TelegramPost.objects.create(
            page_id=demo_report.pk, page_title=demo_report.title, channel="@iskra_ru"
        ).pk

    (pk,) = run_concurrently(create, [()])
    yield TelegramPost(pk=pk)

    def clean():
        TelegramPost.objects.filter(pk=pk).delete()
        Delivery.objects.filter(channel="@iskra_ru").delete()

    run_concurrently(clean, [()])


def test_concurrent_workers_send_one_message(committed_post, bot_api):
    bot_api.delay = 0.3  # keep the first call open while the others try

    outcomes = run_concurrently(services.deliver, [(committed_post,)] * 4)

    assert len(bot_api.calls("sendPhoto") + bot_api.calls("sendMessage")) == 1
    assert sorted(map(str, outcomes)) == ["None", "None", "None", "posted"]
    (status, message_id) = run_concurrently(
        lambda: TelegramPost.objects.values_list("status", "message_id").get(pk=committed_post.pk),
        [()],
    )[0]
    assert (status, message_id) == (PostStatus.POSTED, 1)


def test_concurrent_retry_jobs_send_one_message(committed_post, bot_api):
    bot_api.delay = 0.3

    run_concurrently(services.deliver_due, [()] * 3)

    assert len(bot_api.calls("sendPhoto") + bot_api.calls("sendMessage")) == 1
