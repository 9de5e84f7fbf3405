"""Edition tasks: load the page by primary key and call the service."""

from django_tasks import task
from wagtail.models import Page

from . import services


@task()
def build_editions(page_id, force=False):
    """Build the page's editions whose inputs changed; return their statuses."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    return [edition.status for edition in services.build_editions(page, force=force)]
