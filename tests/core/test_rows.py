"""The core plain-SQL reads answer what the same read through the ORM answers."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from iskra.core import rows
from tests.factories import core

pytestmark = pytest.mark.django_db


def test_live_translations_match_the_orm():
    home = core.home("ru")
    expected = set(
        Page.objects.filter(translation_key=home.translation_key, live=True).values_list(
            "locale_id", "url_path"
        )
    )

    found = set(rows.live_translations(home.translation_key))

    assert found == expected and len(found) == 2  # the Russian and the Kazakh home


def test_live_translations_leave_out_unpublished_pages():
    kk_home = core.home("kk")
    Page.objects.filter(pk=kk_home.pk).update(live=False)

    found = rows.live_translations(kk_home.translation_key)

    assert [locale for locale, _path in found] == [core.home("ru").locale_id]


def test_renditions_match_the_orm():
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "red").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Митинг", description="Люди на площади", file=ImageFile(buffer, name="rally.png")
    )
    image.get_rendition("fill-32x24")
    image.get_rendition("width-16")

    found = rows.renditions({image.pk}, {"fill-32x24", "width-16", "width-8"})

    expected = {
        (r.image_id, r.filter_spec, r.file.name, r.width, r.height) for r in image.renditions.all()
    }
    assert {row[:5] for row in found} == expected and len(expected) == 2
    assert {row[10:] for row in found} == {("Митинг", "Люди на площади")}
