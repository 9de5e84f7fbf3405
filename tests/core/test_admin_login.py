"""The admin's front door: failed logins are throttled per account and per address
(django-axes), in the reader's language."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def editor(username="aigerim", password="Сложный-пароль-2026"):
    user = get_user_model().objects.create_user(username, f"{username}@example.kz", password)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def log_in(client, username, password, address="203.0.113.7", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def logged_in(client):
    return client.get("/admin/pages/", follow=False).status_code == 200


@pytest.fixture
def throttled(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, throttled):
    editor()
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"):
        assert log_in(client, "aigerim", "угадал?", address=address).status_code == 200
    response = log_in(client, "aigerim", "угадал?", address="198.51.100.5")
    assert response.status_code == 429

    # The owner, from another address, with the right password: still locked.
    response = log_in(
        client, "aigerim", "Сложный-пароль-2026", address="192.0.2.10", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Слишком много неудачных попыток входа" in page
    assert re.search(r"через \d+ минут", page)
    assert not logged_in(client)


def test_five_wrong_passwords_from_one_address_lock_that_address_for_every_account(
    client, throttled
):
    editor("nurlan", "Пароль-Нурлана-1")
    for name in ("admin", "root", "editor", "test", "nurlan"):
        log_in(client, name, "123456", address="203.0.113.66")
    locked = log_in(
        client, "nurlan", "Пароль-Нурлана-1", address="203.0.113.66", HTTP_ACCEPT_LANGUAGE="kk"
    )
    assert locked.status_code == 429
    assert "Сәтсіз кіру әрекеттері тым көп" in locked.content.decode()
    # Four wrong guesses of this account: it is not locked; another address gets in.
    client.cookies.clear()
    response = log_in(client, "nurlan", "Пароль-Нурлана-1", address="203.0.113.67")
    assert response.status_code == 302
    assert logged_in(client)


def test_a_right_password_before_the_limit_logs_in_and_clears_the_count(client, throttled):
    editor()
    for _ in range(4):
        log_in(client, "aigerim", "не тот")
    assert log_in(client, "aigerim", "Сложный-пароль-2026").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "aigerim", "опять не тот")
    assert log_in(client, "aigerim", "Сложный-пароль-2026").status_code == 302
