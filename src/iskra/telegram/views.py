"""The Telegram report in the admin: every cross-post, its status and failures, retry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .models import PostStatus, TelegramPost

PAGE_SIZE = 50


class PostsView(WagtailAdminTemplateMixin, TemplateView):
    """Each page's Telegram post: status, link, attempts, last error; failures first."""

    template_name = "telegram/posts.html"
    page_title = gettext_lazy("Telegram posts")
    header_icon = "globe"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        posts = TelegramPost.objects.select_related("page")
        if status in PostStatus.values:
            posts = posts.filter(status=status)
        page_id = self.request.GET.get("page", "")
        if page_id.isdigit():
            posts = posts.filter(page_id=page_id)
        page = Paginator(posts, PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            status=status,
            statuses=PostStatus.choices,
            failed=PostStatus.FAILED,
        )
        return context


@require_POST
def retry_view(request, post_id):
    """Queue a failed post again and try it at once (editors who may publish the page)."""
    post = get_object_or_404(TelegramPost, pk=post_id)
    page = post.page.specific if post.page_id else None
    if page is None or not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    if services.retry(post):
        status = services.deliver(post)
        if status == PostStatus.FAILED:
            post.refresh_from_db()
            messages.error(
                request, _("Telegram refused again: %(error)s") % {"error": post.last_error}
            )
        else:
            messages.success(request, _("Sent to Telegram again."))
    return redirect("telegram:posts")
