"""`iskra backup` and `iskra restore`, run as an administrator runs them: a site with
content is backed up; the archive restores into a new SQLite site and a new PostgreSQL
database with the same pages, revisions, files, chapters, search results and (with the
same key) membership applications; damaged archives, the wrong key and a site with
content are refused without a change."""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from cryptography.fernet import Fernet

from tests import sites

ROOT = Path(__file__).resolve().parents[2]
ISKRA = [sys.executable, "-m", "iskra.cli"]
EXTRAS = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from iskra.library.models import LibraryPage
from iskra.members.services import submit_application
from tests.factories import library, news

report = news.report()
news.report("kk", translation_of=report)
report.lead = "Черновик: уточнённая подводка."
report.save_revision()  # a draft on top of the live revision
library.work(library=LibraryPage.objects.get(locale__language_code="ru"))
get_document_model().objects.create(
    title="Устав организации", file=ContentFile(b"%PDF-1.4 charter", name="charter.pdf")
)
submit_application(
    data={"name": "Асель Нурланова", "region": "Алматы", "phone": "+7 701 555 01 02",
          "email": "asel@example.kz", "message": "Хочу помогать с переводами."},
    language="ru",
)
"""


def postgres_server():
    """Return the URL of a PostgreSQL server to create databases on, or None."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError:
        return None
    return url


def new_postgres_database(server):
    import psycopg

    name = f"iskra_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres_database(server, name):
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    """A site of its own: a var folder, a database and the commands run on it."""

    def __init__(self, folder, database_url, key):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.env = {
            **os.environ,
            "ISKRA_VAR_DIR": str(folder),
            "DATABASE_URL": database_url,
            "MEMBERS_ENCRYPTION_KEYS": key,
            "DJANGO_SETTINGS_MODULE": "iskra.settings.base",
            "PYTHONPATH": str(ROOT),
            "TASKS_BACKEND": "immediate",
        }
        self.env.pop("REDIS_URL", None)

    def run(self, *command, check=True):
        result = subprocess.run(
            [*ISKRA, *command], env=self.env, cwd=ROOT, capture_output=True, text=True
        )
        if check and result.returncode:
            raise AssertionError(f"iskra {' '.join(command)}:\n{result.stdout}{result.stderr}")
        return result

    def python(self, code):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def facts(self):
        result = subprocess.run(
            [sys.executable, "-m", "tests.core.site_facts"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def source_engine():
    """The backed-up site runs on the suite's engine; the restores go to both."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


@pytest.fixture(scope="module")
def postgres():
    server = postgres_server()
    if server is None:
        print("PostgreSQL is not reachable at 127.0.0.1:5432: the restores into it skip")
    created = []

    def database():
        if server is None:
            pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
        name, url = new_postgres_database(server)
        created.append(name)
        return url

    yield database
    for name in created:
        drop_postgres_database(server, name)


@pytest.fixture(scope="module")
def backup(request, tmp_path_factory, postgres):
    """A demo site with more content (on the engine the suite runs on), its facts and
    its backup."""
    folder = tmp_path_factory.mktemp("source")
    key = Fernet.generate_key().decode()
    if source_engine() == "postgresql":
        source = Site(folder, postgres(), key)
        source.run("migrate", "--noinput", "-v0")
        source.run("demo")
    else:
        sites.copy(request.getfixturevalue("demo_site"), folder)
        source = Site(folder, f"sqlite:///{folder / 'site.sqlite3'}", key)
    source.python(EXTRAS)
    source.facts()  # a reader's visit makes the images' renditions
    facts = source.facts()
    archive = folder / "site-backup.tar"
    writer = None
    if source_engine() == "sqlite":
        # The site serves and an editor is saving: the backup neither waits for the open
        # write nor holds any of it.
        writer = sqlite3.connect(folder / "site.sqlite3", timeout=20)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE wagtailcore_page SET title = 'Ещё не сохранено' WHERE depth = 3")
    try:
        # (Django's system checks ask SQLite for JSON support inside a write transaction,
        # which would wait for the editor's; the snapshot itself takes no write lock.)
        result = source.run("backup", "--skip-checks", str(archive))
    finally:
        if writer is not None:
            writer.rollback()
            writer.close()
    return source, archive, key, facts, result.stdout


def assert_same_site(restored, expected, *, same_engine=True):
    facts = restored.facts()
    for part in expected:
        if part == "searches" and not same_engine:
            # The same results; the order of close scores may differ between the engines.
            assert {q: sorted(found) for q, found in facts[part].items()} == {
                q: sorted(found) for q, found in expected[part].items()
            }
        else:
            assert facts[part] == expected[part], part


def test_the_archive_holds_the_database_media_and_a_manifest_but_no_secrets(backup):
    source, archive, key, facts, output = backup
    assert "no secrets" in output and "MEMBERS_ENCRYPTION_KEYS" in output
    assert archive.stat().st_mode & 0o077 == 0  # only its owner reads it
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.backupjsonl.gz").read()
    assert names[0] == "database.backupjsonl.gz" and names[-1] == "manifest.json"
    image_files = [image[1] for image in facts["images"]]
    assert image_files and all(f"media/{name}" in names for name in image_files)
    assert "media/documents/charter.pdf" in names
    assert manifest["engine"] in ("sqlite", "postgresql")
    assert manifest["counts"]["members.Application"] == 1
    assert "wagtailcore.0001_initial" in manifest["migrations"]
    assert "iskra_search.SearchEntry" in manifest["left_out"]
    secret_key = (source.folder / "secret_key").read_text().strip()
    text = gzip.decompress(dump).decode()
    assert "Асель Нурланова" not in text and "asel@example.kz" not in text  # sealed
    assert "Ещё не сохранено" not in text and "В Караганде прошёл съезд горняков" in text
    assert secret_key not in text and key not in text


# In the PostgreSQL run the backup is PostgreSQL's and restores into PostgreSQL (the
# scale-out site's own case); what does not depend on the engine the backup came from
# (SQLite's restore, the refusals, --replace, damaged archives) runs in the SQLite run.
sqlite_run_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the SQLite run (restores and refusals that do not depend on the engine)",
)


@sqlite_run_only
def test_a_backup_restores_into_a_new_sqlite_site_as_it_was(backup, tmp_path):
    source, archive, key, facts, _ = backup
    restored = Site(tmp_path, f"sqlite:///{tmp_path / 'site.sqlite3'}", key)
    result = restored.run("restore", str(archive))  # a database never migrated: it migrates
    assert "Restored" in result.stdout
    assert_same_site(restored, facts, same_engine=source_engine() == "sqlite")
    assert facts["applications"][0][:2] == ["Асель Нурланова", "Алматы"]
    assert any(page[1] == "В Караганде прошёл съезд горняков" for page in facts["pages"])
    assert facts["searches"]["ru:горняки"] and facts["searches"]["kk:kenşıler"]
    assert all(page[3] == 200 for page in facts["pages"] if page[0])

    # Now the site has content of its own: a restore is refused and changes nothing ...
    restored.python(
        "from tests.factories import news\n"
        "from iskra.news.models import SectionPage\n"
        "section = SectionPage.objects.get(slug='news', locale__language_code='ru')\n"
        "news.make_article(section, title='Написано после резервной копии')"
    )
    changed = rows(restored)
    refused = restored.run("restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "--replace" in refused.stderr
    assert rows(restored) == changed
    # ... unless --replace: then the site is the backup's again.
    restored.run("restore", "--replace", str(archive))
    assert_same_site(restored, facts, same_engine=source_engine() == "sqlite")


def test_a_backup_restores_into_a_new_postgresql_database_as_it_was(backup, postgres, tmp_path):
    source, archive, key, facts, _ = backup
    restored = Site(tmp_path / "restored", postgres(), key)
    restored.run("restore", str(archive))
    assert_same_site(restored, facts, same_engine=source_engine() == "postgresql")
    # The restored site goes on: new rows get ids after the restored ones (PostgreSQL's
    # sequences were moved past them).
    out = restored.python(
        "from wagtail.images import get_image_model\n"
        "from tests.factories import core, news\n"
        "last = get_image_model().objects.order_by('pk').last().pk\n"
        "from iskra.news.models import SectionPage\n"
        "section = SectionPage.objects.get(slug='news', locale__language_code='ru')\n"
        "article = news.make_article(section, title='После переезда')\n"
        "print(last, core.image('Новое фото').pk, article.url)"
    )
    last, new, url = out.split()
    assert int(new) > int(last)
    assert url.endswith("/")


def damaged_copy(archive, folder, how):
    data = bytearray(archive.read_bytes())
    target = folder / f"{how}.tar"
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "flipped":
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.startswith("media/"))
        data[member.offset_data + member.size // 2] ^= 0xFF
    elif how == "not-a-backup":
        data = b"<?xml version='1.0'?><rss/>"
    target.write_bytes(data)
    return target


@pytest.fixture(scope="module")
def migrated(migrated_site):
    """A new site's database, migrated once; each test below restores into a copy."""
    return migrated_site / "site.sqlite3"


def new_site(migrated, folder, key):
    folder.mkdir()
    shutil.copy(migrated, folder / "site.sqlite3")
    return Site(folder, f"sqlite:///{folder / 'site.sqlite3'}", key)


def rows(site):
    """Every row of every table of ``site``'s database, and its media files."""
    with sqlite3.connect(site.folder / "site.sqlite3") as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        content = {
            # The table names come from sqlite_master, not from input.
            table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"')))  # noqa: S608
            for table in tables
        }
    media = sorted(str(path) for path in (site.folder / "media").rglob("*"))
    return content, media


@sqlite_run_only
@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("truncated", "not a complete Iskra backup"),
        ("flipped", "does not match its checksum"),
        ("not-a-backup", "cannot be read"),
    ],
)
def test_a_damaged_archive_is_refused_before_anything_changes(
    backup, migrated, tmp_path, how, message
):
    source, archive, key, facts, _ = backup
    site = new_site(migrated, tmp_path / "site", key)
    before = rows(site)
    result = site.run("restore", str(damaged_copy(archive, tmp_path, how)), check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(site) == before


@sqlite_run_only
def test_the_wrong_membership_key_is_refused_before_anything_changes(backup, migrated, tmp_path):
    source, archive, key, facts, _ = backup
    site = new_site(migrated, tmp_path / "site", Fernet.generate_key().decode())
    before = rows(site)
    result = site.run("restore", str(archive), check=False)
    assert result.returncode != 0
    assert "encrypted with another key" in result.stderr
    assert rows(site) == before
