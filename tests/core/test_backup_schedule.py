"""The scheduler's daily backup (``BACKUP_DIR``, ``BACKUP_KEEP``)."""

import io

import pytest
from django.core.management import call_command

from iskra.core import backup
from iskra.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_with_backup_dir_the_scheduler_backs_up_daily_and_keeps_the_last(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path)
    settings.BACKUP_KEEP = 2
    for day in ("20261101-030000", "20261102-030000"):
        (tmp_path / f"iskra-{day}.tar").write_bytes(b"an older backup")
    (tmp_path / "notes.tar").write_bytes(b"not one of the scheduler's")
    out = io.StringIO()

    call_command("run_schedule", "--once", stdout=out)

    kept = [path.name for path in backup.backups_in(tmp_path)]
    assert len(kept) == 2 and kept[0] == "iskra-20261102-030000.tar"
    manifest = backup.read_manifest(tmp_path / kept[1])
    assert manifest["counts"]["news.ArticlePage"] == ArticlePage.objects.count()
    assert (tmp_path / "notes.tar").exists()
    assert "backup iskra-" in out.getvalue() and "1 old backups removed" in out.getvalue()


def test_without_backup_dir_there_is_no_backup_job(settings):
    settings.BACKUP_DIR = ""
    assert "daily_backup" not in [job.name for job in backup.scheduled_jobs()]
