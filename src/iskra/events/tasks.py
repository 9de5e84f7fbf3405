"""Events tasks: thin wrappers that load by primary key and call a service."""

from django_tasks import task

from . import services
from .models import EventPage


@task()
def build_proceedings(event_id, force=False):
    """Build the event's collected volume (EPUB and PDF) if its talks changed."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return None
    volume = services.build_proceedings(event, force=force)
    return volume.status if volume else None
