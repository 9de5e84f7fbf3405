"""News tasks: thin wrappers that load by primary key and call a service."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from iskra.core.background import describe_task

from .models import ArticlePage
from .services import refresh_related_lists


@task()
def refresh_related(article_id, moved=False):
    """Re-rank the related lists around a published (or moved) article."""
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    return refresh_related_lists(article, moved=moved)


describe_task(refresh_related, _("Related articles"), page_of=lambda args, kwargs: args[0])
