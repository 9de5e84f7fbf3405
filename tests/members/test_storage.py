"""Applications at rest: encrypted fields, key rotation, start-up without a key, faults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from iskra.members.models import Application, ApplicationNote, AuditEntry

pytestmark = pytest.mark.django_db

PRIVATE_VALUES = ["Айгүл Серікқызы", "+77012345678", "aigul_s", "aigul@example.kz", "переводами"]


def _raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (a model's own table name)
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def test_database_holds_no_plaintext_personal_field(client, join_page, application_data):
    client.post("/ru/join/", application_data)
    application = Application.objects.get()
    ApplicationNote.objects.create(application=application, text="Позвонить Айгүл вечером")

    dump = "\n".join(
        _raw_rows(Application._meta.db_table)
        + _raw_rows(ApplicationNote._meta.db_table)
        + _raw_rows(AuditEntry._meta.db_table)
    )

    for value in [*PRIVATE_VALUES, "karaganda", "Айгүл"]:
        assert value not in dump
    assert "gAAAAA" in dump  # Fernet tokens


def test_empty_fields_are_encrypted_too(client, join_page, application_data):
    application_data.update(email="", telegram="")
    client.post("/ru/join/", application_data)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email, telegram FROM {Application._meta.db_table}")  # noqa: S608
        email, telegram = cursor.fetchone()

    assert email.startswith("gAAAAA") and telegram.startswith("gAAAAA")
    assert Application.objects.get().email == ""


def test_key_rotation_reencrypts_everything_with_the_new_key(
    client, join_page, application_data, settings
):
    old_key = settings.MEMBERS_ENCRYPTION_KEYS[0]
    client.post("/ru/join/", application_data)
    ApplicationNote.objects.create(application=Application.objects.get(), text="заметка")
    new_key = Fernet.generate_key().decode()
    settings.MEMBERS_ENCRYPTION_KEYS = [new_key, old_key]
    out = _run("rotate_encryption_key")

    settings.MEMBERS_ENCRYPTION_KEYS = [new_key]

    application = Application.objects.get()
    assert application.name == "Айгүл Серікқызы"
    assert application.notes.get().text == "заметка"
    assert "1 applications and 1 notes" in out
    assert AuditEntry.objects.filter(action="reencrypted").exists()


def test_data_under_an_unknown_key_fails_loudly(client, join_page, application_data, settings):
    client.post("/ru/join/", application_data)
    settings.MEMBERS_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        Application.objects.get()


def test_database_error_during_submission_saves_nothing_and_asks_to_retry(
    client, join_page, application_data
):
    # A real database error on the second insert of the submission's transaction.
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION iskra_test_fail() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER iskra_test_fail BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION iskra_test_fail()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER iskra_test_fail BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )

    response = client.post("/ru/join/", application_data)

    html = response.content.decode()
    assert response.status_code == 503
    assert "Заявку не удалось сохранить" in html
    assert 'value="Айгүл Серікқызы"' in html
    assert Application.objects.count() == 0


def _run(command, *args):
    from io import StringIO

    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _iskra_check(extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MEMBERS_ENCRYPTION_KEYS", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    env.update(extra_env, DJANGO_SETTINGS_MODULE="iskra.settings.base")
    iskra = Path(sys.executable).with_name("iskra")
    return subprocess.run(
        [str(iskra), "check"], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_an_encryption_key(tmp_path):
    result = _iskra_check(
        {"PRODUCTION": "1", "SECRET_KEY": "x" * 50, "ISKRA_VAR_DIR": str(tmp_path)}
    )

    assert result.returncode != 0
    assert "MEMBERS_ENCRYPTION_KEYS is not set" in result.stderr
    assert not (tmp_path / "members_key").exists()


def test_malformed_encryption_key_is_refused(tmp_path):
    result = _iskra_check({"MEMBERS_ENCRYPTION_KEYS": "short", "ISKRA_VAR_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "key 1 is not a Fernet key" in result.stderr


def test_embedded_mode_generates_a_private_key(tmp_path):
    result = _iskra_check({"ISKRA_VAR_DIR": str(tmp_path)})

    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "members_key"
    Fernet(key_file.read_text().strip())
    assert key_file.stat().st_mode & 0o077 == 0
