from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelegramConfig(AppConfig):
    name = "iskra.telegram"
    label = "telegram"
    verbose_name = _("Telegram")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # It names the models: importable once the apps are ready.
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
