"""The scheduler's daily backup (``BACKUP_DIR``, ``BACKUP_KEEP``)."""

import pytest

from iskra.core import backup
from iskra.core.schedule import scheduled_jobs
from iskra.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_with_backup_dir_the_scheduler_backs_up_daily_and_keeps_the_last(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path)
    settings.BACKUP_KEEP = 2
    for day in ("20261101-030000", "20261102-030000"):
        (tmp_path / f"iskra-{day}.tar").write_bytes(b"an older backup")
    (tmp_path / "notes.tar").write_bytes(b"not one of the scheduler's")
    job = next(job for job in scheduled_jobs() if job.name == "daily_backup")
    assert job.every == 24 * 3600

    line = job.run()

    kept = [path.name for path in backup.backups_in(tmp_path)]
    assert len(kept) == 2 and kept[0] == "iskra-20261102-030000.tar"
    manifest = backup.read_manifest(tmp_path / kept[1])
    assert manifest["counts"]["news.ArticlePage"] == ArticlePage.objects.count()
    assert (tmp_path / "notes.tar").exists()
    assert line.startswith("backup iskra-") and "1 old backups removed" in line


def test_without_backup_dir_there_is_no_backup_job(settings):
    settings.BACKUP_DIR = ""
    assert "daily_backup" not in [job.name for job in scheduled_jobs()]
