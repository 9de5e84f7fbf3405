"""The membership inbox: who may see it, what it records, the CSV export, retention."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from iskra.members import services
from iskra.members.models import Application, AuditEntry

pytestmark = pytest.mark.django_db


def make_application(**fields):
    values = {
        "language": "ru",
        "consented_at": timezone.now(),
        "name": "Ерлан Жақсыбеков",
        "region": "almaty",
        "phone": "+77011112233",
        "email": "erlan@example.kz",
        "message": "Готов помогать",
    }
    values.update(fields)
    return Application.objects.create(**values)


def inbox_urls(number):
    return [
        ("get", "/admin/members/"),
        ("get", "/admin/members/?status=new"),
        ("get", f"/admin/members/{number}/"),
        ("post", f"/admin/members/{number}/"),
        ("post", "/admin/members/export/"),
        ("get", "/admin/members/audit/"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_anonymous_visitors_are_sent_to_the_login_page(client, index):
    application = make_application()
    method, url = inbox_urls(application.pk)[index]

    response = getattr(client, method)(url, {"selected": [application.pk], "status": "accepted"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Application.objects.get().status == "new"


@pytest.mark.parametrize("index", range(6))
def test_editors_outside_the_group_are_refused(client, editor, index):
    application = make_application()
    client.force_login(editor)
    method, url = inbox_urls(application.pk)[index]

    response = getattr(client, method)(url, {"selected": [application.pk], "status": "accepted"})

    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "Жақсыбеков" not in response.content.decode()
    dashboard = client.get("/admin/").content.decode()
    assert "Жақсыбеков" not in dashboard
    assert Application.objects.get().status == "new"
    assert not AuditEntry.objects.filter(actor=editor).exists()


def test_logged_out_session_loses_access(client, secretary):
    application = make_application()
    client.force_login(secretary)
    assert client.get(f"/admin/members/{application.pk}/").status_code == 200

    client.logout()

    response = client.get(f"/admin/members/{application.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_secretary_sees_the_menu_item_and_editors_do_not(client, secretary, editor):
    client.force_login(secretary)
    assert "/admin/members/" in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert "/admin/members/" not in client.get("/admin/").content.decode()


def test_inbox_lists_and_filters_by_status_and_logs_the_listing(client, secretary):
    new = make_application(name="Новый Заявитель")
    make_application(name="Принятый Заявитель", status="accepted")
    client.force_login(secretary)

    html = client.get("/admin/members/?status=new").content.decode()

    assert "<title>Заявки на вступление" in html
    assert "Новый Заявитель" in html and "Принятый Заявитель" not in html
    entry = AuditEntry.objects.get(action="listed", actor=secretary)
    assert f"#{new.pk}" in entry.detail and "status=new" in entry.detail


def test_opening_an_application_shows_it_and_is_logged(client, secretary):
    application = make_application()
    client.force_login(secretary)

    html = client.get(f"/admin/members/{application.pk}/").content.decode()

    assert "Ерлан Жақсыбеков" in html and "+77011112233" in html and "Алматы" in html
    entry = AuditEntry.objects.get(action="viewed")
    assert (entry.actor, entry.actor_name, entry.application_number) == (
        secretary,
        "olga",
        application.pk,
    )


def test_status_change_and_note_are_saved_and_logged_without_personal_data(client, secretary):
    application = make_application()
    client.force_login(secretary)
    url = f"/admin/members/{application.pk}/"

    client.post(url, {"status": "contacted"})
    client.post(url, {"text": "Позвонила, придёт на собрание в субботу"})

    application.refresh_from_db()
    assert application.status == "contacted"
    assert application.notes.get().text == "Позвонила, придёт на собрание в субботу"
    changed = AuditEntry.objects.get(action="status_changed")
    assert changed.detail == "new → contacted" and changed.actor == secretary
    assert AuditEntry.objects.filter(action="note_added", application_number=application.pk)
    assert "собрание" not in " ".join(AuditEntry.objects.values_list("detail", flat=True))
    html = client.get(url).content.decode()
    assert "Позвонила, придёт на собрание" in html


def test_invalid_status_changes_nothing(client, secretary):
    application = make_application()
    client.force_login(secretary)

    client.post(f"/admin/members/{application.pk}/", {"status": "approved-by-hacker"})

    application.refresh_from_db()
    assert application.status == "new"
    assert not AuditEntry.objects.filter(action="status_changed").exists()


def test_unknown_application_is_404(client, secretary):
    client.force_login(secretary)

    assert client.get("/admin/members/999999/", follow=True).status_code == 404


def test_csv_export_contains_the_selected_and_escapes_formulas(client, secretary):
    hostile = make_application(name='=HYPERLINK("http://evil","x")', message="+1+2", email="")
    other = make_application(name="-2+3", telegram="@erlan_zh")
    make_application(name="Не выбранный")
    client.force_login(secretary)

    response = client.post("/admin/members/export/", {"selected": [hostile.pk, other.pk]})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Номер", "Получена", "Статус", "Язык", "Имя"]
    assert [row[0] for row in rows[1:]] == [str(hostile.pk), str(other.pk)]
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil","x")' in cells and "'+1+2" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "Не выбранный" not in response.content.decode()
    entry = AuditEntry.objects.get(action="exported")
    assert entry.actor == secretary and f"#{hostile.pk}" in entry.detail


def test_export_by_get_or_without_selection_exports_nothing(client, secretary):
    make_application()
    client.force_login(secretary)

    assert client.get("/admin/members/export/").status_code == 302
    assert client.post("/admin/members/export/", {"selected": ["x"]}).status_code == 302
    assert not AuditEntry.objects.filter(action="exported").exists()


def test_audit_log_is_for_superusers_only(client, secretary, admin_user):
    application = make_application()
    superuser = Client()
    superuser.force_login(admin_user)
    client.force_login(secretary)
    client.get(f"/admin/members/{application.pk}/")

    refused = client.get("/admin/members/audit/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    html = superuser.get(f"/admin/members/audit/?application={application.pk}").content.decode()
    assert "olga" in html and "Просмотр" in html


def test_audit_log_cannot_be_edited():
    entry = services.record(action="viewed", detail="x")
    entry.detail = "changed"

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(detail="changed")


def test_retention_deletes_decided_applications_after_the_period(settings):
    settings.MEMBERS_RETENTION_DAYS = 180
    old = timezone.now() - timedelta(days=181)
    expired_accepted = make_application(status="accepted", status_changed_at=old)
    expired_declined = make_application(status="declined", status_changed_at=old)
    recent = make_application(status="declined", status_changed_at=timezone.now())
    waiting = make_application(status="new", status_changed_at=old)
    expired_accepted.notes.create(text="заметка")
    out = io.StringIO()

    call_command("delete_expired_applications", stdout=out)

    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert "Deleted 2 applications" in out.getvalue()
    logged = AuditEntry.objects.filter(action="deleted")
    assert set(logged.values_list("application_number", flat=True)) == {
        expired_accepted.pk,
        expired_declined.pk,
    }
    assert "Жақсыбеков" not in " ".join(logged.values_list("detail", flat=True))


def test_telegram_notice_holds_only_the_number_and_link(bot_api, settings, secretary):
    settings.MEMBERS_TELEGRAM_CHAT_ID = "-1001234567890"
    application = make_application()

    used = services.notify_secretaries(application)

    assert used == ["email", "telegram"]
    (call,) = bot_api.calls("sendMessage")
    assert call.params["chat_id"] == "-1001234567890"
    assert f"/admin/members/{application.pk}/" in call.params["text"]
    for private in ("Ерлан", "Жақсыбеков", "7011112233", "erlan", "Готов"):
        assert private not in call.params["text"]


def test_telegram_failure_does_not_lose_the_application(
    bot_api, settings, client, join_page, application_data, django_capture_on_commit_callbacks
):
    settings.MEMBERS_TELEGRAM_CHAT_ID = "-100"
    bot_api.fail_next(403, "Forbidden: bot is not a member of the channel chat")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/join/", application_data)

    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert len(bot_api.calls("sendMessage")) == 1


def test_inbox_paginates_keeping_the_status_filter(client, secretary):
    for number in range(55):
        make_application(name=f"Заявитель {number}")
    client.force_login(secretary)

    first = client.get("/admin/members/?status=new").content.decode()
    second = client.get("/admin/members/?status=new&p=2").content.decode()

    assert "?status=new&amp;p=2" in first
    assert "Заявитель 0" in second and "Заявитель 54" not in second
