"""*Reports › Background work*: the tasks waiting, running and failed, with their page, the
attempt they are at, the last error, and a button to try a failed one again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from . import background
from .models import TaskAttempt

PER_PAGE = 50
# Everyone who may use the admin: editors see why their publish has not reached Telegram.
CAN_SEE = "wagtailadmin.access_admin"
_SHOWN = {
    "problems": [TaskResultStatus.FAILED, TaskResultStatus.READY, TaskResultStatus.RUNNING],
    "failed": [TaskResultStatus.FAILED],
    "waiting": [TaskResultStatus.READY, TaskResultStatus.RUNNING],
    "all": None,
}


# Failed because the object it was to work on had been deleted (background.is_moot).
_MOOT = Q(status=TaskResultStatus.FAILED, exception_class_path__endswith=".DoesNotExist")


def _last_line(traceback):
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@method_decorator(permission_required(CAN_SEE, raise_exception=True), name="dispatch")
class BackgroundWorkView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "core/admin/background_work.html"
    page_title = gettext_lazy("Background work")
    header_icon = "cogs"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.request.GET.get("show", "problems")
        if shown not in _SHOWN:
            shown = "problems"
        results = DBTaskResult.objects.order_by("-enqueued_at")
        if _SHOWN[shown] is not None:
            results = results.filter(status__in=_SHOWN[shown])
        if shown != "all":
            results = results.exclude(_MOOT)
        page = Paginator(results, PER_PAGE).get_page(self.request.GET.get("p"))
        rows = list(page.object_list)
        attempts = dict(
            TaskAttempt.objects.filter(result_id__in=[row.pk for row in rows]).values_list(
                "result_id", "attempt"
            )
        )
        retried = set(
            TaskAttempt.objects.filter(retry_of_id__in=[row.pk for row in rows]).values_list(
                "retry_of_id", flat=True
            )
        )
        page_ids = {row.pk: background.page_id_of(row) for row in rows}
        pages = Page.objects.in_bulk([pk for pk in page_ids.values() if pk])
        described = []
        for row in rows:
            attempt = attempts.get(row.pk, 1)
            described.append(
                {
                    "result": row,
                    "label": background.label_of(row.task_path),
                    "page": pages.get(page_ids[row.pk]),
                    "attempt": attempt,
                    "status": TaskResultStatus(row.status).label,
                    "failed": row.status == TaskResultStatus.FAILED and not background.is_moot(row),
                    "moot": row.status == TaskResultStatus.FAILED and background.is_moot(row),
                    "retried": row.pk in retried,
                    "gave_up": row.status == TaskResultStatus.FAILED
                    and row.pk not in retried
                    and attempt >= settings.ISKRA_TASK_ATTEMPTS,
                    "error": _last_line(row.traceback),
                }
            )
        counts = DBTaskResult.objects.exclude(_MOOT).aggregate(
            waiting=Count("pk", filter=Q(status=TaskResultStatus.READY)),
            running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
            failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        )
        context.update(
            rows=described,
            page=page,
            shown=shown,
            counts=counts,
            attempts=settings.ISKRA_TASK_ATTEMPTS,
            filters=[
                ("problems", _("Waiting, running and failed")),
                ("failed", _("Failed")),
                ("waiting", _("Waiting and running")),
                ("all", _("All, also done")),
            ],
            immediate=not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."),
        )
        return context


@require_POST
@permission_required(CAN_SEE, raise_exception=True)
def retry_view(request, pk):
    """Try a failed task again (a new first attempt)."""
    result = get_object_or_404(DBTaskResult, pk=pk, status=TaskResultStatus.FAILED)
    background.retry(result)
    label = background.label_of(result.task_path)
    messages.success(request, _("“%(task)s” will be tried again.") % {"task": label})
    return redirect("core_background:work")
