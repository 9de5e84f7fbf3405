"""Factories for core things: homes (the demo's, as the tree's roots), people."""

import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from iskra.core.models import HomePage, Person, SiteSettings

_numbers = itertools.count(1)


def unique(prefix):
    """Return ``prefix`` with a number no other call returned (slugs, titles)."""
    return f"{prefix}-{next(_numbers)}"


def home(language="ru"):
    """Return the home page of ``language``: the root new pages go under."""
    return HomePage.objects.get(locale__language_code=language)


def person(name="Айгерим Сапарова", language="ru"):
    return Person.objects.create(
        name=name, slug=unique("person"), locale=Locale.objects.get(language_code=language)
    )


def publish(page):
    """Publish ``page``'s current state; return it."""
    page.save_revision().publish()
    return page


def image(title="Митинг у акимата", size=(800, 450), color=(180, 40, 40)):
    """Create a Wagtail image (a JPEG drawn with Pillow)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG", quality=80)
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{unique('image')}.jpg")
    )


def site_settings(**fields):
    """Set fields of the site's settings (both languages' trees share one site)."""
    options = SiteSettings.for_site(home("ru").get_site())
    for name, value in fields.items():
        setattr(options, name, value)
    options.save()
    return options
