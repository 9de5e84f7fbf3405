"""Image renditions for listings, read in one query for a whole list of images.

Wagtail's ``get_rendition`` wants an image object and, without a prefetch, queries per
image; listings need only the rendition's URL and size. ``pictures`` reads them for
every image and filter at once and lets Wagtail create only the ones still missing.
"""

import logging
from dataclasses import dataclass
from typing import NamedTuple

from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

from .rows import renditions

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Picture:
    url: str
    width: int
    height: int
    alt: str = ""


class _FocalPoint(NamedTuple):
    """What a filter's cache key reads from an image."""

    focal_point_x: int | None
    focal_point_y: int | None
    focal_point_width: int | None
    focal_point_height: int | None


def pictures(wanted):
    """Return ``{(image_id, spec): Picture}`` for the wanted ``(image_id, filter spec)`` pairs.

    One query when every rendition exists; a missing one is created by Wagtail (and
    its source image read once). An image whose file is gone is left out, as Wagtail's
    ``{% image %}`` tag would render it broken rather than fail the page. The alt text
    is the image's own (description, else title), as Wagtail's renditions give it.
    """
    wanted = {(pk, spec) for pk, spec in wanted if pk}
    if not wanted:
        return {}
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    filters = {spec: Filter(spec=spec) for _pk, spec in wanted}
    storage = rendition_model._meta.get_field("file").storage
    rows = renditions({pk for pk, _spec in wanted}, filters)
    found = {}
    for pk, spec, file, width, height, focal_key, *focal, title, description in rows:
        if (pk, spec) in wanted and focal_key == filters[spec].get_cache_key(_FocalPoint(*focal)):
            found[pk, spec] = Picture(storage.url(file), width, height, description or title)
    missing = wanted - found.keys()
    if missing:
        images = image_model.objects.in_bulk({pk for pk, _spec in missing})
        for pk, spec in missing:
            if pk not in images:
                continue
            try:
                rendition = images[pk].get_rendition(spec)
            except SourceImageIOError:
                logger.warning("Image %s has lost its file; shown without a picture.", pk)
                continue
            found[pk, spec] = Picture(
                rendition.url, rendition.width, rendition.height, images[pk].default_alt_text
            )
    return found
