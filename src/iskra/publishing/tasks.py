"""Edition tasks: load the page by primary key and call the service."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.models import Page

from iskra.core.background import describe_task

from . import services


@task()
def build_editions(page_id, force=False):
    """Build the page's editions whose inputs changed; return their statuses."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    return [edition.status for edition in services.build_editions(page, force=force)]


describe_task(build_editions, _("EPUB and PDF editions"), page_of=lambda args, kwargs: args[0])


@task()
def update_mirror():
    """Bring the static copy in ``MIRROR_DIR`` up to date; return what it rendered."""
    report = services.update_mirror()
    return {"rendered": report.rendered, "written": report.written} if report else None


describe_task(update_mirror, _("Static mirror"))
