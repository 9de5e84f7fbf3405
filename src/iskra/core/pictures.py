"""Image renditions for listings, read in one query for a whole list of images.

Wagtail's ``get_rendition`` wants an image object and, without a prefetch, queries per
image; listings need only the rendition's URL and size. ``pictures`` reads them for
every image and filter at once and lets Wagtail create only the ones still missing.
"""

import logging
from dataclasses import dataclass

from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Picture:
    url: str
    width: int
    height: int


def pictures(image_ids, specs):
    """Return ``{image_id: {spec: Picture}}`` for the given images and filter specs.

    One query when every rendition exists; a missing one is created by Wagtail (and
    its source image read once). An image whose file is gone is left out, as Wagtail's
    ``{% image %}`` tag would render it broken rather than fail the page.
    """
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    image_model = get_image_model()
    filters = {spec: Filter(spec=spec) for spec in specs}
    found = {}
    images = {}
    renditions = (
        image_model.get_rendition_model()
        .objects.filter(image_id__in=image_ids, filter_spec__in=list(filters))
        .select_related("image")
    )
    for rendition in renditions:
        image = images.setdefault(rendition.image_id, rendition.image)
        if rendition.focal_point_key == filters[rendition.filter_spec].get_cache_key(image):
            found.setdefault(image.pk, {})[rendition.filter_spec] = Picture(
                rendition.url, rendition.width, rendition.height
            )
    missing = [(pk, spec) for pk in image_ids for spec in filters if spec not in found.get(pk, {})]
    if missing:
        images.update(image_model.objects.in_bulk({pk for pk, _spec in missing} - set(images)))
        for pk, spec in missing:
            if pk not in images:
                continue
            try:
                rendition = images[pk].get_rendition(spec)
            except SourceImageIOError:
                logger.warning("Image %s has lost its file; listed without a picture.", pk)
                continue
            found.setdefault(pk, {})[spec] = Picture(
                rendition.url, rendition.width, rendition.height
            )
    return found
