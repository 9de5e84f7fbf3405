from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "iskra.search"
    label = "iskra_search"
    verbose_name = _("Search")

    def ready(self):
        from . import signal_handlers  # it names the models: importable once apps are ready

        signal_handlers.connect()
