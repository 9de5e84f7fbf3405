from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "iskra.core"
    label = "core"
    verbose_name = _("Site core")

    def ready(self):
        from . import background, signal_handlers  # they name models: once apps are ready

        signal_handlers.connect()
        background.connect()
