"""Background work of the membership app (thin: load by primary key, call a service)."""

from django_tasks import task

from . import services
from .models import Application


@task()
def notify_secretaries(application_id):
    """Tell the secretaries that an application arrived (number and link only)."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return []
    return services.notify_secretaries(application)
