import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

pytestmark = pytest.mark.django_db


def _png(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def test_image_of_wrong_type_is_refused_with_a_message(editor_client):
    from wagtail.images import get_image_model

    before = get_image_model().objects.count()
    upload = SimpleUploadedFile("notes.txt", b"not an image at all", content_type="text/plain")
    response = editor_client.post(
        "/admin/images/add/", {"title": "Заметки", "file": upload}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 200
    errors = str(response.context["form"].errors["file"])
    assert "не является изображением" in errors
    assert get_image_model().objects.count() == before


def test_image_over_the_size_limit_is_refused(editor_client, settings):
    from wagtail.images import get_image_model

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    before = get_image_model().objects.count()
    upload = SimpleUploadedFile("big.png", _png((200, 200)), content_type="image/png")
    response = editor_client.post("/admin/images/add/", {"title": "Большая", "file": upload})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert get_image_model().objects.count() == before


def test_valid_image_is_accepted(editor_client):
    from wagtail.images import get_image_model

    upload = SimpleUploadedFile("ok.png", _png(), content_type="image/png")
    response = editor_client.post("/admin/images/add/", {"title": "Годная", "file": upload})
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="Годная").exists()
