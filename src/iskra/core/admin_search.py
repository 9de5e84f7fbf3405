"""Add objects written in bulk (an import's pages, images and documents) to Wagtail's
admin search in one go: bulk writes send no ``post_save``, so the search backend's own
handlers do not see them."""

from modelsearch.backends import get_search_backends


def index_in_admin_search(model, objects, *, chunk=500):
    """Index ``objects`` (instances of ``model``) in every auto-updated search backend."""
    objects = list(objects)
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(objects), chunk):
            backend.add_bulk(model, objects[start : start + chunk])
    return len(objects)
