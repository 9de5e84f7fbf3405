from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from iskra.core.contracts import register_edition_source, register_search_provider


class EventsConfig(AppConfig):
    name = "iskra.events"
    label = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Loaded once the app registry is ready: they name the models.
        from . import editions, searchable

        register_search_provider(searchable.PROVIDER)
        register_edition_source(editions.SOURCE)
