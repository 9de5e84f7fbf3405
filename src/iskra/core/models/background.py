"""What Iskra keeps about background work beside django-tasks-db's own rows: the attempt
a retried task is at, and the leases that let one app server run each periodic job."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskAttempt(models.Model):
    """A task result that retries an earlier, failed one: which attempt it is."""

    result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="iskra_attempt",
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    retry_of = models.ForeignKey(
        "django_tasks_database.DBTaskResult",
        null=True,
        on_delete=models.SET_NULL,
        related_name="iskra_retries",
    )

    class Meta:
        verbose_name = _("task attempt")
        verbose_name_plural = _("task attempts")

    def __str__(self):
        return f"{self.result_id} ({self.attempt})"


class ScheduleLease(models.Model):
    """A periodic job's next due time across all app servers: the server that moves it on
    (in one conditional update) runs the job; the others see it taken."""

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    next_run = models.DateTimeField(_("next run"))
    last_run = models.DateTimeField(_("last run"), null=True)
    holder = models.CharField(_("run by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """The last sign of life of a background worker (written every few seconds by
    ``iskra run-worker``, read by ``/healthz``)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id
