"""Membership operations: receive, process, export, notify, expire and re-encrypt.

Every operation that shows or changes an application writes an ``AuditEntry`` in the same
transaction as the change it records. Nothing here logs or sends personal data.
"""

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iskra.telegram.client import send_message

from .models import Application, ApplicationNote, AuditAction, AuditEntry, Status

SECRETARIES_GROUP = "Membership secretaries"
PERMISSION = "members.process_application"
EXPORT_COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("created_at", gettext_lazy("Received")),
    ("status", gettext_lazy("Status")),
    ("language", gettext_lazy("Language")),
    ("name", gettext_lazy("Name")),
    ("region", gettext_lazy("City or region")),
    ("phone", gettext_lazy("Phone")),
    ("telegram", gettext_lazy("Telegram")),
    ("email", gettext_lazy("Email")),
    ("message", gettext_lazy("Message")),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def can_process(user):
    """Return True when ``user`` may see applications (secretaries and superusers)."""
    return user.is_active and user.has_perm(PERMISSION)


def record(*, action, user=None, application=None, detail=""):
    """Append an audit entry; ``detail`` must never hold personal data."""
    return AuditEntry.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=user.get_username() if user is not None and user.is_authenticated else "",
        action=action,
        application_number=application.pk if application is not None else None,
        detail=detail[:1000],
    )


def submit_application(*, data, language, privacy_policy_url=""):
    """Store an application from cleaned form ``data`` (the secretaries' notice is queued
    by ``signal_handlers`` once it commits).

    One transaction: the application and its audit entry are saved together or not at
    all (a database error leaves nothing behind and propagates to the caller).
    """
    now = timezone.now()
    with transaction.atomic():
        application = Application.objects.create(
            language=language,
            created_at=now,
            status_changed_at=now,
            consented_at=now,
            privacy_policy_url=privacy_policy_url[:200],
            name=data["name"],
            region=data["region"],
            country=data.get("country", ""),
            phone=data.get("phone", ""),
            telegram=data.get("telegram", ""),
            email=data.get("email", ""),
            message=data.get("message", ""),
        )
        record(action=AuditAction.RECEIVED, application=application, detail=language)
    return application


def list_applications(*, status=None):
    """Return the applications, newest first, filtered by ``status`` when it is one."""
    applications = Application.objects.all()
    if status in Status.values:
        applications = applications.filter(status=status)
    return applications


def status_counts():
    """Return ``{status: number of applications}`` for the inbox's filter."""
    counts = dict.fromkeys(Status.values, 0)
    for row in Application.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def record_listing(*, user, applications, detail=""):
    """Record that ``user`` saw the listed applications' names and contacts."""
    numbers = ", ".join(f"#{a.pk}" for a in applications)
    record(action=AuditAction.LISTED, user=user, detail=f"{detail} {numbers}".strip())


def open_application(*, user, number):
    """Return application ``number`` for ``user`` to read, recording the view."""
    application = Application.objects.get(pk=number)
    record(action=AuditAction.VIEWED, user=user, application=application)
    return application


def change_status(application, *, status, user):
    """Set the status (recorded with old and new value); no-op when it is unchanged."""
    if status == application.status:
        return False
    with transaction.atomic():
        old = application.status
        application.status = status
        application.status_changed_at = timezone.now()
        application.save(update_fields=["status", "status_changed_at"])
        record(
            action=AuditAction.STATUS_CHANGED,
            user=user,
            application=application,
            detail=f"{old} → {status}",
        )
    return True


def add_note(application, *, text, user):
    """Add a secretary's note, recorded (without its text) in the audit log."""
    with transaction.atomic():
        note = ApplicationNote.objects.create(application=application, author=user, text=text)
        record(action=AuditAction.NOTE_ADDED, user=user, application=application)
    return note


def _spreadsheet_safe(value):
    """Return ``value`` so that no spreadsheet reads it as a formula (OWASP CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_csv(applications, *, user):
    """Return the CSV text of ``applications`` (UTF-8 with BOM for Excel), recording it."""
    rows = list(applications)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(label) for _field, label in EXPORT_COLUMNS])
    for application in rows:
        values = {
            "number": application.pk,
            "created_at": timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
            "status": application.get_status_display(),
            "language": application.language,
            "region": application.get_region_display(),
        }
        writer.writerow(
            [
                _spreadsheet_safe(values.get(field, getattr(application, field, "")))
                for field, _label in EXPORT_COLUMNS
            ]
        )
    record(
        action=AuditAction.EXPORTED,
        user=user,
        detail="CSV: " + ", ".join(f"#{a.pk}" for a in rows),
    )
    return buffer.getvalue()


def secretaries():
    """Return the active users who process applications (the group and superusers)."""
    permission = Permission.objects.get(
        content_type__app_label="members", codename="process_application"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission)
        )
        .distinct()
    )


def notify_secretaries(application, *, base_url=None):
    """Tell the secretaries by email and Telegram that application N arrived.

    The notice holds the number and a link to the inbox only, never personal data.
    Returns the channels that were used.
    """
    link = (base_url or settings.BASE_URL).rstrip("/") + reverse(
        "members:application", args=[application.pk]
    )
    used = []
    recipients = [user.email for user in secretaries() if user.email]
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("New membership application #%(number)s") % {"number": application.pk}
            body = _("A new membership application #%(number)s has arrived: %(link)s") % {
                "number": application.pk,
                "link": link,
            }
        send_mail(subject, body, None, recipients)
        used.append("email")
    chat_id = getattr(settings, "MEMBERS_TELEGRAM_CHAT_ID", None)
    if chat_id and getattr(settings, "TELEGRAM_BOT_TOKEN", None):
        with translation.override(settings.LANGUAGE_CODE):
            text = _("A new membership application #%(number)s has arrived: %(link)s") % {
                "number": application.pk,
                "link": link,
            }
        send_message(chat_id=chat_id, text=text)
        used.append("telegram")
    return used


def delete_expired_applications(*, now=None, days=None):
    """Delete applications accepted or declined more than ``days`` ago; return how many.

    Each deletion is logged by number only, in the same transaction.
    """
    days = settings.MEMBERS_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        expired = list(
            Application.objects.filter(
                status__in=[Status.ACCEPTED, Status.DECLINED], status_changed_at__lt=cutoff
            )
            .select_for_update()
            .values_list("pk", "status")
        )
        for number, status in expired:
            AuditEntry.objects.create(
                action=AuditAction.DELETED,
                application_number=number,
                detail=f"{status}, {days} days",
            )
        Application.objects.filter(pk__in=[number for number, _status in expired]).delete()
    return len(expired)


def reencrypt_all(*, batch_size=500):
    """Re-encrypt every application and note with the newest key; return the counts.

    One transaction: either every row carries the new key or none does.
    """
    fields = ["name", "region", "country", "phone", "telegram", "email", "message"]
    counts = {}
    with transaction.atomic():
        for model, names in ((Application, fields), (ApplicationNote, ["text"])):
            rows = list(model.objects.select_for_update().order_by("pk"))
            # Loading decrypted each value; saving encrypts it with the first key.
            model.objects.bulk_update(rows, names, batch_size=batch_size)
            counts[model._meta.model_name] = len(rows)
        record(
            action=AuditAction.REENCRYPTED,
            detail=f"{counts['application']} applications, {counts['applicationnote']} notes",
        )
    return counts
