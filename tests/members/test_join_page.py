"""The application form as a reader sees it: validation, consent, storage, guards."""

import uuid

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client, override_settings

from iskra.members.models import Application, AuditEntry

from .conftest import started_token

pytestmark = pytest.mark.django_db


def test_join_page_shows_the_form_unticked_and_uncached(client, join_page):
    response = client.get("/ru/join/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="has_consented"' in html and "checked" not in html
    assert 'href="/ru/privacy/"' in html
    assert "Карагандинская область" in html
    assert "no-store" in response["Cache-Control"]


def test_join_page_in_kazakh_has_kazakh_labels(client, kk_join_page):
    html = client.get("/kk/join/").content.decode()

    assert "Қарағанды облысы" in html
    assert 'href="/kk/privacy/"' in html


def test_valid_application_is_stored_encrypted_and_redirects_to_confirmation(
    client, join_page, application_data
):
    response = client.post("/ru/join/", application_data)

    assert response.status_code == 302
    assert response["Location"] == "/ru/join/sent/"
    assert "Айгүл" not in response["Location"]
    application = Application.objects.get()
    assert application.name == "Айгүл Серікқызы"
    assert application.phone == "+77012345678"
    assert application.telegram == "@aigul_s"
    assert application.language == "ru"
    assert application.status == "new"
    assert application.privacy_policy_url.endswith("/ru/privacy/")
    assert AuditEntry.objects.filter(action="received", application_number=application.pk).exists()
    confirmation = client.get(response["Location"]).content.decode()
    assert "Секретарь свяжется с вами" in confirmation
    assert "Айгүл" not in confirmation


def test_application_without_consent_is_refused_keeping_what_was_typed(
    client, join_page, application_data
):
    del application_data["has_consented"]

    response = client.post("/ru/join/", application_data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Без вашего согласия на обработку персональных данных" in html
    assert 'value="Айгүл Серікқызы"' in html
    assert "Хочу помогать с переводами" in html
    assert not Application.objects.exists()


def test_application_needs_at_least_one_contact(client, join_page, application_data):
    application_data.update(phone="", telegram="", email="")

    html = client.post("/ru/join/", application_data).content.decode()

    assert "Укажите хотя бы один способ связи" in html
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "Это не похоже на номер телефона"),
        ("telegram", "a b", "Имя пользователя в Телеграме"),
        ("email", "not-an-email", "Введите правильный адрес электронной почты"),
        ("region", "atlantis", "Выберите корректный вариант"),
        ("name", "   ", "Требуется заполнить это поле"),
        ("message", "я" * 3001, "не более 3000 символов"),
    ],
)
def test_invalid_field_gets_a_russian_message_next_to_it(
    client, join_page, application_data, field, value, message
):
    application_data[field] = value

    html = client.post("/ru/join/", application_data).content.decode()

    assert message in html
    assert f'id="id_{field}-error"' in html
    assert not Application.objects.exists()


def test_kazakh_form_errors_are_in_kazakh(client, kk_join_page, application_data):
    del application_data["is_adult"]

    html = client.post("/kk/join/", application_data).content.decode()

    assert "Тек кәмелетке толғандар" in html
    assert not Application.objects.exists()


def test_abroad_needs_a_country(client, join_page, application_data):
    application_data["region"] = "other"

    html = client.post("/ru/join/", application_data).content.decode()
    assert "Укажите страну и город" in html

    application_data["country"] = "Россия, Омск"
    assert client.post("/ru/join/", application_data).status_code == 302
    assert Application.objects.get().get_region_display() == "Другая страна: Россия, Омск"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("+7 (701) 234-56-78", "+77012345678"),
        ("87012345678", "+77012345678"),
        ("+49 30 901820", "+4930901820"),
    ],
)
def test_phone_numbers_are_normalized(client, join_page, application_data, raw, normalized):
    application_data["phone"] = raw

    client.post("/ru/join/", application_data)

    assert Application.objects.get().phone == normalized


def test_honeypot_pretends_success_and_stores_nothing(client, join_page, application_data):
    application_data["website"] = "http://spam.example"

    response = client.post("/ru/join/", application_data)

    assert response.status_code == 302
    assert not Application.objects.exists()


def test_form_sent_too_fast_is_refused(client, join_page, application_data):
    application_data["started"] = started_token(seconds_ago=0)

    response = client.post("/ru/join/", application_data)

    assert "Форма отправлена слишком быстро" in response.content.decode()
    assert 'value="Айгүл Серікқызы"' in response.content.decode()
    assert not Application.objects.exists()


def test_stale_form_is_refused_with_a_fresh_start_time(client, join_page, application_data):
    stale = started_token(seconds_ago=2 * 86400)
    application_data["started"] = stale

    html = client.post("/ru/join/", application_data).content.decode()

    assert "Срок действия формы истёк" in html
    assert stale not in html and 'name="started" value="' in html
    assert not Application.objects.exists()


@pytest.mark.parametrize("token", ["", "forged"])
def test_missing_or_forged_start_time_is_refused(client, join_page, application_data, token):
    application_data["started"] = token

    response = client.post("/ru/join/", application_data)

    assert response.status_code == 200
    assert not Application.objects.exists()


@override_settings(MEMBERS_RATE_LIMIT="2/h")
def test_rate_limit_per_address_after_stored_applications(client, join_page, application_data):
    for _ in range(2):
        application_data["started"] = started_token()
        assert client.post("/ru/join/", application_data).status_code == 302

    application_data["started"] = started_token()
    response = client.post("/ru/join/", application_data, REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 429
    assert "Слишком много заявок" in response.content.decode()
    assert Application.objects.count() == 2
    other = client.post("/ru/join/", application_data, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_typing_mistakes_do_not_count_against_the_rate_limit(client, join_page, application_data):
    with override_settings(MEMBERS_RATE_LIMIT="1/h"):
        for _ in range(3):
            client.post("/ru/join/", {**application_data, "phone": "1"})
        response = client.post("/ru/join/", application_data)

    assert response.status_code == 302


def test_form_requires_csrf_token(join_page, application_data):
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post("/ru/join/", application_data)

    assert response.status_code == 403
    assert not Application.objects.exists()


def test_oversized_post_is_refused_without_saving(client, join_page, application_data):
    application_data["message"] = "x" * (3 * 1024 * 1024)

    response = client.post("/ru/join/", application_data)

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_malformed_post_gets_the_form_back(client, join_page):
    response = client.post(
        "/ru/join/",
        b"name=%FF%FE&region[]=1&&=&is_adult=maybe",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Пожалуйста, исправьте" in response.content.decode()
    assert not Application.objects.exists()


def test_secretaries_are_told_the_number_and_link_only(
    client, join_page, application_data, secretary, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ru/join/", application_data)

    application = Application.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "olga@example.org" in message.to and "ivan@example.org" not in message.to
    assert f"№ {application.pk}" in message.subject
    assert f"/admin/members/{application.pk}/" in message.body
    for private in ("Айгүл", "7012345678", "aigul", "Караганд", "переводами"):
        assert private not in message.subject + message.body


def test_rate_limit_is_shared_by_app_servers_through_redis(
    client, join_page, application_data, settings
):
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379 (the scale-out path is not tested)")
    prefix = f"iskra-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    settings.MEMBERS_RATE_LIMIT = "1/h"
    assert client.post("/ru/join/", application_data).status_code == 302

    # Another app server: a new connection to the same Redis, nothing shared in memory.
    caches["default"].close()
    del caches["default"]
    application_data["started"] = started_token()
    response = Client().post("/ru/join/", application_data)

    assert response.status_code == 429
    assert server.keys(f"{prefix}:*")
    server.delete(*server.keys(f"{prefix}:*"))
