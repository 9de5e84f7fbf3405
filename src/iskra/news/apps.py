from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from iskra.core.contracts import register_change_source, register_search_provider


class NewsConfig(AppConfig):
    name = "iskra.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        # Loaded once the app registry is ready: they name the models.
        from . import searchable, signal_handlers

        register_search_provider(searchable.PROVIDER)
        register_change_source(_restored_related_lists)
        signal_handlers.connect()


def _restored_related_lists(since):
    """Articles whose related list was stored again after ``since`` (a neighbour was
    published): their pages show other articles now."""
    from .models import RelatedArticle

    return (
        RelatedArticle.objects.filter(stored_at__gt=since)
        .values_list("article_id", flat=True)
        .distinct()
    )
