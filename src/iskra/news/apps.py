from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from iskra.core.contracts import register_search_provider


class NewsConfig(AppConfig):
    name = "iskra.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        # Loaded once the app registry is ready: they name the models.
        from . import searchable, signal_handlers

        register_search_provider(searchable.PROVIDER)
        signal_handlers.connect()
