"""Background work of the membership app (thin: load by primary key, call a service)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from iskra.core.background import describe_task

from . import services
from .models import Application


@task()
def notify_secretaries(application_id):
    """Tell the secretaries that an application arrived (number and link only)."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return []
    return services.notify_secretaries(application)


describe_task(notify_secretaries, _("Notice to the membership secretaries"))
