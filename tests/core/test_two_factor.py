"""Two-factor login to the admin (TOTP): editors and secretaries set up an authenticator
at the first login and give its code at every login; a lost phone's device is removed
by an administrator."""

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "Сложный-пароль-2026"  # noqa: S105


@pytest.fixture
def required(settings):
    settings.ISKRA_TWO_FACTOR = "required"


def account(username="aigerim", group="Editors"):
    user = get_user_model().objects.create_user(username, f"{username}@example.kz", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, username):
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/pages/"}
    )
    assert response.status_code == 302, "the password is right"
    return response


def code_of(device):
    """The code the authenticator app shows now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def not_slowed_down(device):
    """Forget a wrong code (django-otp makes the next try wait after one)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def admin_opens(client):
    return client.get("/admin/pages/").status_code == 200


def test_an_editor_sets_up_an_authenticator_at_the_first_login(client, required):
    user = account()
    log_in(client, "aigerim")
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/two-factor/setup/")

    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="ru")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Настройка двухфакторного входа" in html
    qr = unquote(re.search(r'<img src="data:image/svg\+xml;charset=utf-8,([^"]+)"', html).group(1))
    assert qr.startswith("<svg xmlns=") and "<path" in qr  # an image a browser shows
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
    assert len(key) == 32  # the key to type in by hand: base32 of the device's 20 bytes

    wrong = client.post(response.url, {"code": "000000"})
    assert wrong.status_code == 200 and "код неверный" in wrong.content.decode().lower()
    assert not admin_opens(client)

    not_slowed_down(device)
    done = client.post(response.url, {"code": code_of(device), "next": "/admin/pages/"})
    assert done.status_code == 302 and done.url == "/admin/pages/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert admin_opens(client)


def test_with_an_authenticator_the_password_alone_does_not_open_the_admin(client, required):
    user = account()
    device = TOTPDevice.objects.create(user=user, name="Телефон", confirmed=True)
    log_in(client, "aigerim")
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response.url.startswith("/admin/two-factor/verify/")
    for path in ("/admin/", "/admin/users/", "/admin/reports/background-work/"):
        assert client.get(path).status_code == 302, path
    # Not even the setup page lets a second device in without the first one's code.
    assert client.get("/admin/two-factor/setup/").url.startswith("/admin/two-factor/verify/")

    refused = client.post("/admin/two-factor/verify/", {"code": "123456"})
    assert refused.status_code == 200 and not admin_opens(client)
    not_slowed_down(device)
    accepted = client.post(
        "/admin/two-factor/verify/", {"code": code_of(device), "next": "/admin/pages/"}
    )
    assert accepted.status_code == 302 and accepted.url == "/admin/pages/"
    assert admin_opens(client)


def test_wrong_codes_are_slowed_down(client, required):
    user = account()
    device = TOTPDevice.objects.create(user=user, name="Телефон", confirmed=True)
    log_in(client, "aigerim")
    client.post("/admin/two-factor/verify/", {"code": "111111"})
    # Right after a wrong code even the right one waits (django-otp's throttling).
    response = client.post(
        "/admin/two-factor/verify/", {"code": code_of(device)}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    assert "Слишком много неверных кодов" in response.content.decode()
    assert not admin_opens(client)


def test_a_secretary_is_asked_too(client, required):
    account("aliya-secretary", group="Membership secretaries")
    log_in(client, "aliya-secretary")
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/two-factor/setup/")


def test_optional_asks_only_those_who_set_up_an_authenticator(client, settings):
    settings.ISKRA_TWO_FACTOR = "optional"
    account("plain")
    careful = account("careful")
    TOTPDevice.objects.create(user=careful, name="Телефон", confirmed=True)
    log_in(client, "plain")
    assert admin_opens(client)
    client.logout()
    log_in(client, "careful")
    assert not admin_opens(client)


def test_an_administrator_removes_a_lost_phones_authenticator(client, required):
    user = account()
    TOTPDevice.objects.create(user=user, name="Потерянный телефон", confirmed=True)
    chief = get_user_model().objects.create_superuser("head", "head@example.kz", PASSWORD)
    chief_device = TOTPDevice.objects.create(user=chief, name="Телефон", confirmed=True)
    log_in(client, "head")
    client.post("/admin/two-factor/verify/", {"code": code_of(chief_device)})
    listing = client.get("/admin/users/").content.decode()
    assert f"/admin/two-factor/reset/{user.pk}/" in listing
    assert client.post(f"/admin/two-factor/reset/{user.pk}/").status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=chief).exists()


def test_an_editor_cannot_remove_anothers_authenticator(client, required):
    user = account()
    TOTPDevice.objects.create(user=user, name="Телефон", confirmed=True)
    other = account("nurlan")
    device = TOTPDevice.objects.create(user=other, name="Телефон", confirmed=True)
    log_in(client, "nurlan")
    client.post("/admin/two-factor/verify/", {"code": code_of(device)})
    response = client.post(f"/admin/two-factor/reset/{user.pk}/")
    # Wagtail answers a refused admin page by sending the user to the dashboard.
    assert response.status_code in (302, 403) and "/two-factor/" not in response.get("Location", "")
    assert TOTPDevice.objects.filter(user=user).exists()
