from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "iskra.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
