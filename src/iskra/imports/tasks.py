"""Import tasks: thin wrappers that load by primary key and call a service."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from iskra.core.admin_search import index_in_admin_search
from iskra.core.background import describe_task


@task()
def index_for_admin(model_label, object_ids):
    """Add objects an import wrote in bulk to Wagtail's admin search."""
    model = apps.get_model(model_label)
    return index_in_admin_search(model, model.objects.filter(pk__in=object_ids).iterator())


describe_task(index_for_admin, _("Imported items into the admin search"))
