from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "iskra.imports"
    label = "imports"
    verbose_name = _("Imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
