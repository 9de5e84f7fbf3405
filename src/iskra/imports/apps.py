from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "iskra.imports"
    label = "imports"
    verbose_name = _("Imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from iskra.core.contracts import register_address_resolver

        from . import signal_handlers
        from .middleware import resolve_request

        signal_handlers.connect()
        register_address_resolver(resolve_request)
