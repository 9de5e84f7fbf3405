"""The periodic jobs that `iskra serve` runs beside the server."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from iskra.members.models import Application
from iskra.news.models import ArticlePage
from tests.factories.news import make_article

pytestmark = pytest.mark.django_db


def test_run_schedule_once_publishes_pages_whose_time_has_come(news_section):
    article = make_article(news_section, title="Запланированная статья", publish=False)
    article.go_live_at = timezone.now() - timedelta(minutes=1)
    article.save_revision(approved_go_live_at=article.go_live_at)
    out = io.StringIO()

    call_command("run_schedule", "--once", stdout=out)

    assert ArticlePage.objects.get(pk=article.pk).live


def test_run_schedule_runs_the_apps_jobs_too():
    Application.objects.create(
        language="ru",
        consented_at=timezone.now(),
        name="Имя",
        region="almaty",
        status="declined",
        status_changed_at=timezone.now() - timedelta(days=400),
    )
    out = io.StringIO()

    call_command("run_schedule", "--once", stdout=out)

    assert "delete_expired_applications: 1 expired applications deleted" in out.getvalue()
    assert not Application.objects.exists()
