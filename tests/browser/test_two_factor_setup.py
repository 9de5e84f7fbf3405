"""In Chromium, the two-factor setup page shows a QR code an authenticator app can scan."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_setup_page_shows_the_qr_code_as_a_picture(tab, settings):
    settings.ISKRA_TWO_FACTOR = "required"
    user = get_user_model().objects.create_superuser("head", "head@example.kz", "x")
    tab.client.force_login(user)
    errors = []
    tab.page.on("pageerror", lambda error: errors.append(str(error)))

    page = tab.open("/admin/two-factor/setup/")

    picture = page.locator("main img").first
    size = picture.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
    assert size[0] and size[1] >= 100 and size[1] == size[2]  # a square QR code, drawn
    assert page.locator("h1").inner_text() == "Настройка двухфакторного входа"
    assert errors == []
