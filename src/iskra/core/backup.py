"""Backups that restore: the database and the media files in one archive, on either engine.

``iskra backup FILE`` writes a tar archive:

- ``database.backupjsonl.gz``: a consistent snapshot of every table, one row a line, in
  the order the models depend on each other (Django's serialization; rows keep their
  primary keys, references to content types and permissions are by natural key, so that
  the rows load into a database whose content types were numbered otherwise). It is taken while the
  site serves: on SQLite from a copy made with SQLite's online backup API, on PostgreSQL
  inside one read-only REPEATABLE READ transaction. Sealed fields (the membership
  applications) stay encrypted (``backup_format``).
- ``media/…``: every file under ``MEDIA_ROOT`` (images and their renditions, documents,
  editions, library originals).
- ``manifest.json``, last: the format, Iskra's version, the engine, the applied
  migrations, the row count of every model, the content types, and the size and SHA-256
  of every other member, so a damaged or truncated archive is refused before anything
  is touched.

Left out: the secrets (``SECRET_KEY``, ``MEMBERS_ENCRYPTION_KEYS``), sessions, the task
queue and the scheduler's leases, and data the site derives from the rest (the search
indexes, Wagtail's reference index): a restore rebuilds those. Apps name their derived
models and how to rebuild them with the ``iskra_derived_data`` hook, returning a list of
``DerivedData``.

``iskra restore FILE`` checks the archive, migrates the database when it is new, refuses
a site that has content (unless ``replace``), then in one transaction empties the tables
and loads the rows, checks every model's count against the manifest, and only then puts
the media files in place; a failure leaves the site as it was.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from wagtail import hooks

from .backup_format import sealed_fields
from .page_cache import bump_generation
from .schedule import Job

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.backupjsonl.gz"
MEDIA_PREFIX = "media/"
_SNAPSHOT_ALIAS = "iskra_backup_snapshot"
_CHUNK = 1 << 20

# Not in a backup and not rebuilt: the target site has its own content types and
# permissions (made by its migrations; rows refer to them by natural key), and sessions,
# queued tasks, leases and heartbeats belong to the running site, not to its content.
_LEFT_OUT = (
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "django_tasks_database.DBTaskResult",
    "core.TaskAttempt",
    "core.ScheduleLease",
    "core.WorkerHeartbeat",
    "wagtailadmin.EditingSession",
    # Failed-login counts and lockouts (django-axes): the running site's, and addresses.
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
)
# Tables a restore leaves as they are on the target site.
_KEPT_TABLES = {"django_content_type", "auth_permission"}

SECRETS_NOTICE = (
    "The archive holds no secrets: SECRET_KEY and the membership encryption keys "
    "(MEMBERS_ENCRYPTION_KEYS, or var/members_key when it was generated) are not in it. "
    "Keep a copy of them apart from the backups (a password manager, a sealed envelope): "
    "a restore needs the same membership key to open the applications in the archive."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for a person."""


@dataclass(frozen=True)
class DerivedData:
    """Models whose rows an app derives from the rest of the data: left out of backups,
    and rebuilt after a restore by ``rebuild(stdout)``."""

    models: tuple[str, ...]
    rebuild: Callable[[object], None]
    label: str = ""


def _rebuild_references(stdout):
    call_command("rebuild_references_index", verbosity=0, stdout=stdout)


def _rebuild_admin_search(stdout):
    # Wagtail's own index (the admin's page search and choosers).
    call_command("update_index", verbosity=0, stdout=stdout)


def derived_data():
    """Return the derived data of the core and of every app (``iskra_derived_data``)."""
    parts = [
        DerivedData(("wagtailcore.ReferenceIndex",), _rebuild_references, "references"),
        DerivedData(
            ("wagtailsearch.IndexEntry", "wagtailsearch.SQLiteFTSIndexEntry"),
            _rebuild_admin_search,
            "admin search",
        ),
    ]
    for hook in hooks.get_hooks("iskra_derived_data"):
        parts.extend(hook())
    return parts


def _installed_labels(labels):
    present = {model._meta.label for model in apps.get_models()}
    return [label for label in labels if label in present]


def left_out_models():
    """Return the labels of the models a backup does not contain."""
    labels = list(_LEFT_OUT)
    for part in derived_data():
        labels.extend(part.models)
    return _installed_labels(labels)


def backed_up_models():
    """Return the models whose rows a backup holds, in Django's dependency order."""
    left_out = set(left_out_models())
    return [
        model
        for model in apps.get_models()
        if model._meta.label not in left_out and model._meta.managed and not model._meta.proxy
    ]


def iskra_version():
    try:
        return version("iskra")
    except PackageNotFoundError:  # pragma: no cover (run from a source tree)
        return "unknown"


# Writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot():
    """Yield the alias of a database connection that sees one consistent state."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with tempfile.TemporaryDirectory(prefix="iskra-snapshot-") as work:
            copy_path = os.path.join(work, "snapshot.sqlite3")
            connection.ensure_connection()
            target = sqlite3.connect(copy_path)
            try:
                # The online backup API: a copy of one committed state, while others write.
                connection.connection.backup(target)
            finally:
                target.close()
            connections.settings[_SNAPSHOT_ALIAS] = {
                **connection.settings_dict,
                "NAME": copy_path,
            }
            try:
                yield _SNAPSHOT_ALIAS
            finally:
                connections[_SNAPSHOT_ALIAS].close()
                del connections[_SNAPSHOT_ALIAS]
                del connections.settings[_SNAPSHOT_ALIAS]
        return
    # PostgreSQL, or a caller already inside a transaction (which then is the snapshot).
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield DEFAULT_DB_ALIAS


class _Hashing:
    """A file object that passes on what is read from ``source`` and hashes it."""

    def __init__(self, source):
        self.source = source
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.source.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar, path, name):
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(path, "rb") as source:
        hashing = _Hashing(source)
        tar.addfile(info, hashing)
    return {"size": info.size, "sha256": hashing.sha256.hexdigest()}


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".")
    )


def _sealed_check(models):
    """Return a token sealed with the site's key by the first sealed field, if any."""
    for model in models:
        for field in sealed_fields(model):
            return {"field": f"{model._meta.label}.{field.name}", "token": field.seal(MANIFEST)}
    return None


def create_backup(path, *, progress=None):
    """Write a backup of the site to ``path`` (atomically: a finished archive or none).

    ``progress(message)`` is called as the work goes on. Returns the manifest."""
    say = progress or (lambda message: None)
    path = Path(path).resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the archive's file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    partial = path.with_name(f".{path.name}.partial")
    started = timezone.now()
    try:
        with tempfile.TemporaryDirectory(prefix=".iskra-backup-", dir=path.parent) as work:
            dump = Path(work) / DATABASE
            say("Taking a snapshot of the database…")
            with _snapshot() as alias:
                models = backed_up_models()
                call_command(
                    "dumpdata",
                    *[model._meta.label for model in models],
                    format="backupjsonl",
                    use_base_manager=True,
                    database=alias,
                    output=str(dump),
                    verbosity=0,
                )
                counts = {
                    model._meta.label: model._base_manager.using(alias).count() for model in models
                }
                migrations = sorted(
                    f"{app}.{name}"
                    for app, name in MigrationRecorder(connections[alias]).applied_migrations()
                )
                content_types = sorted(
                    apps.get_model("contenttypes", "ContentType")
                    .objects.using(alias)
                    .values_list("app_label", "model")
                )
                engine = connections[alias].vendor
            say(f"Database: {sum(counts.values())} rows of {len(counts)} models.")
            media = _media_files()
            root = Path(settings.MEDIA_ROOT)
            members = {}
            # The archive holds every row (the applications sealed): readable by its owner.
            partial.touch(mode=0o600)
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                members[DATABASE] = _add_file(tar, dump, DATABASE)
                for number, file in enumerate(media, start=1):
                    name = MEDIA_PREFIX + file.relative_to(root).as_posix()
                    try:
                        members[name] = _add_file(tar, file, name)
                    except FileNotFoundError:
                        continue  # removed while the backup ran (after the snapshot)
                    if number % 500 == 0:
                        say(f"Media: {number}/{len(media)} files")
                manifest = {
                    "format": FORMAT,
                    "iskra": iskra_version(),
                    "created": started.isoformat(),
                    "engine": engine,
                    "migrations": migrations,
                    "counts": counts,
                    "content_types": [list(pair) for pair in content_types],
                    "sealed_check": _sealed_check(models),
                    "left_out": left_out_models(),
                    "secrets": "not included",
                    "members": members,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(started.timestamp())
                tar.addfile(info, io.BytesIO(data))
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    media_bytes = sum(m["size"] for n, m in members.items() if n != DATABASE)
    say(f"Media: {len(members) - 1} files, {media_bytes / 1e6:.1f} MB.")
    return manifest


# Reading ---------------------------------------------------------------------------------


def _safe_member_name(name):
    """Return ``name`` if it is a plain relative path inside the archive, else None."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        return None
    return name


def read_manifest(path):
    """Read the whole archive at ``path``, check every member against the manifest and
    return the manifest; raise ``BackupError`` naming what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    seen = {}
    manifest_data = None
    try:
        with tarfile.open(path, "r:") as tar:
            for info in tar:
                if info.name == MANIFEST:
                    manifest_data = tar.extractfile(info).read()
                    continue
                if not info.isfile():
                    raise BackupError(f"The archive holds {info.name!r}, which is not a file.")
                if _safe_member_name(info.name) is None:
                    raise BackupError(f"The archive holds a file outside it: {info.name!r}.")
                digest = hashlib.sha256()
                source = tar.extractfile(info)
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                seen[info.name] = {"size": info.size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            f"{path} is not a complete Iskra backup (the archive cannot be read: {exc})."
        ) from None
    if manifest_data is None:
        raise BackupError(
            f"{path} has no manifest: it is not an Iskra backup, or it was cut short "
            "(the manifest is written last)."
        )
    try:
        manifest = json.loads(manifest_data)
        expected = manifest["members"]
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"The manifest of {path} is damaged.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is a backup of format {manifest.get('format')!r}; this Iskra reads "
            f"format {FORMAT}."
        )
    missing = sorted(set(expected) - set(seen))
    if missing:
        raise BackupError(
            f"{path} is incomplete: {len(missing)} files of the manifest are missing "
            f"(first: {missing[0]})."
        )
    for name, facts in expected.items():
        if seen[name] != facts:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise BackupError(f"{path} holds files the manifest does not list (first: {extra[0]}).")
    if DATABASE not in expected:
        raise BackupError(f"{path} holds no database.")
    return manifest


# Restoring -------------------------------------------------------------------------------


def _check_migrations(manifest):
    connection = connections[DEFAULT_DB_ALIAS]
    here = {f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()}
    there = set(manifest["migrations"])
    newer = sorted(there - here)
    older = sorted(here - there)
    if newer:
        raise BackupError(
            f"The backup was made by a newer Iskra ({manifest['iskra']}): this site lacks "
            f"{len(newer)} of its migrations (first: {newer[0]}). Upgrade Iskra first."
        )
    if older:
        raise BackupError(
            f"The backup was made by an older Iskra ({manifest['iskra']}), before "
            f"{len(older)} of this site's migrations (first: {older[0]}). Restore it with "
            f"Iskra {manifest['iskra']}, then upgrade that site."
        )


def _check_key(manifest):
    check = manifest.get("sealed_check")
    if not check:
        return
    label, _, field_name = check["field"].rpartition(".")
    try:
        field = apps.get_model(label)._meta.get_field(field_name)
        opened = field.unseal(check["token"])
    except LookupError:
        return  # the app is gone; the migration check names it
    except Exception:
        raise BackupError(
            "The membership applications in this backup were encrypted with another key: "
            "set MEMBERS_ENCRYPTION_KEYS (or var/members_key) to the key of the site the "
            "backup was made on, then restore again. Nothing was changed."
        ) from None
    if opened != MANIFEST:
        raise BackupError("The backup's key check does not match; nothing was changed.")


def site_content():
    """Return a description of the content this site has, or "" when it has none (a
    freshly migrated database: Wagtail's initial root and welcome page only)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    page_model = apps.get_model("wagtailcore", "Page")
    content_type = apps.get_model("contenttypes", "ContentType").objects.get_for_model(page_model)
    found = []
    pages = page_model.objects.exclude(content_type=content_type).count()
    if pages:
        found.append(f"{pages} pages")
    users = user_model.objects.count()
    if users:
        found.append(f"{users} accounts")
    for label, name in (("wagtailimages.Image", "images"), ("wagtaildocs.Document", "documents")):
        count = apps.get_model(label).objects.count()
        if count:
            found.append(f"{count} {name}")
    return ", ".join(found)


def _extract(path, manifest, work):
    """Unpack the database dump and the media files of the archive into ``work``."""
    media = work / "media"
    media.mkdir()
    with tarfile.open(path, "r:") as tar:
        for info in tar:
            if info.name == DATABASE:
                target = work / DATABASE
            elif info.name.startswith(MEDIA_PREFIX) and info.name in manifest["members"]:
                target = media / info.name[len(MEDIA_PREFIX) :]
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(info) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
    return work / DATABASE, media


def _ensure_content_types(manifest):
    model = apps.get_model("contenttypes", "ContentType")
    known = set(model.objects.values_list("app_label", "model"))
    for app_label, name in manifest["content_types"]:
        if (app_label, name) not in known:
            model.objects.create(app_label=app_label, model=name)


def _empty_tables():
    connection = connections[DEFAULT_DB_ALIAS]
    tables = set(connection.introspection.django_table_names(only_existing=True))
    tables -= _KEPT_TABLES
    # CASCADE (PostgreSQL) also empties the tables that the search backends keep beside
    # their models, which are derived and rebuilt.
    statements = connection.ops.sql_flush(
        no_style(), sorted(tables), reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _check_counts(manifest):
    wrong = []
    for label, expected in manifest["counts"].items():
        try:
            model = apps.get_model(label)
        except LookupError:
            wrong.append(f"{label} (not a model here)")
            continue
        count = model._base_manager.count()
        if count != expected:
            wrong.append(f"{label}: {count} rows, the backup has {expected}")
    if wrong:
        raise BackupError("The restored rows do not match the backup: " + "; ".join(wrong))


def _put_media(staged):
    """Move the files under MEDIA_ROOT aside and ``staged``'s (a folder on the same disk)
    in their place; return the folder of the old files (removed once the restore is
    committed, moved back by ``_put_back`` when it is not)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    old = Path(tempfile.mkdtemp(prefix=".iskra-replaced-", dir=root.parent))
    try:
        for entry in list(root.iterdir()):
            os.replace(entry, old / entry.name)
        for entry in list(staged.iterdir()):
            os.replace(entry, root / entry.name)
    except OSError as exc:
        _put_back(old, staged)
        raise BackupError(f"The media files could not be put in place: {exc}") from None
    return old


def _put_back(old, staged):
    root = Path(settings.MEDIA_ROOT)
    for entry in list(root.iterdir()):
        os.replace(entry, staged / entry.name)
    for entry in list(old.iterdir()):
        os.replace(entry, root / entry.name)
    old.rmdir()


def restore(path, *, replace=False, progress=None):
    """Restore the backup at ``path`` into this site; return the manifest.

    Raises ``BackupError`` (nothing changed) for a damaged archive, another Iskra
    version, the wrong membership key, or a site with content when ``replace`` is off."""
    say = progress or (lambda message: None)
    path = Path(path).resolve()
    say("Checking the archive…")
    manifest = read_manifest(path)
    say(
        f"Backup of {manifest['created']} ({manifest['engine']}, Iskra {manifest['iskra']}): "
        f"{sum(manifest['counts'].values())} rows, {len(manifest['members']) - 1} media files."
    )
    call_command("migrate", interactive=False, verbosity=0)
    _check_migrations(manifest)
    _check_key(manifest)
    content = site_content()
    if content and not replace:
        raise BackupError(
            f"This site is not empty ({content}). Restore into a new site, or pass "
            "--replace to delete everything here and put the backup in its place."
        )
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".iskra-restore-", dir=media_root.parent) as work:
        say("Unpacking…")
        dump, staged_media = _extract(path, manifest, Path(work))
        say("Loading the database…")
        old_media = None
        try:
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                _ensure_content_types(manifest)
                _empty_tables()
                call_command("loaddata", str(dump), verbosity=0)
                _check_counts(manifest)
                # The media files go in place once the rows are in, before the commit.
                old_media = _put_media(staged_media)
        except BaseException:
            if old_media is not None:
                _put_back(old_media, staged_media)
            raise
        shutil.rmtree(old_media, ignore_errors=True)
    _after_restore(say)
    return manifest


def _after_restore(say):
    bump_generation()
    failed = []
    for part in derived_data():
        say(f"Rebuilding {part.label or ', '.join(part.models)}…")
        try:
            part.rebuild(io.StringIO())
        except Exception as exc:
            failed.append(f"{part.label}: {exc}")
    if failed:
        raise BackupError(
            "The backup is restored, but rebuilding derived data failed ("
            + "; ".join(failed)
            + "). Run `iskra rebuild_search_index` and `iskra rebuild_references_index`."
        )


# Daily backups ---------------------------------------------------------------------------

BACKUP_NAME = "iskra-%Y%m%d-%H%M%S.tar"


def backups_in(folder):
    """Return the backups the scheduler made in ``folder``, oldest first."""
    found = []
    for path in Path(folder).glob("iskra-*.tar"):
        try:
            datetime.datetime.strptime(path.name, BACKUP_NAME)
        except ValueError:
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.name)


def daily_backup():
    """The scheduler's job: a backup into ``BACKUP_DIR``, keeping the last ``BACKUP_KEEP``."""
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / timezone.localtime().strftime(BACKUP_NAME)
    manifest = create_backup(path)
    keep = max(1, settings.BACKUP_KEEP)
    removed = 0
    for old in backups_in(folder)[:-keep]:
        old.unlink()
        removed += 1
    rows = sum(manifest["counts"].values())
    return f"backup {path.name}: {rows} rows, {len(manifest['members']) - 1} media files" + (
        f", {removed} old backups removed" if removed else ""
    )


def scheduled_jobs():
    """The daily backup, when ``BACKUP_DIR`` is set (registered in ``wagtail_hooks``)."""
    if not settings.BACKUP_DIR:
        return []
    return [Job("daily_backup", 24 * 3600, daily_backup)]
