from django.core.management import call_command
from wagtail import hooks

from iskra.core.backup import DerivedData
from iskra.core.contracts import search_providers
from iskra.core.schedule import Job

from . import indexing


def _fill_empty_index():
    """A site that had pages before the index existed gets them indexed once."""
    if not indexing.is_empty():
        return ""
    if not any(provider.live_pages().exists() for provider in search_providers()):
        return ""
    pages = indexing.rebuild()
    call_command("update_index", verbosity=0)  # the admin's search: same analysis now
    return f"search index built: {pages} pages"


@hooks.register("iskra_scheduled_jobs")
def register_scheduled_jobs():
    return [Job("search_index", 600, _fill_empty_index)]


def _rebuild_after_restore(stdout):
    indexing.rebuild()


@hooks.register("iskra_derived_data")
def register_derived_data():
    """The search index is rebuilt from the pages after a restore, not backed up."""
    return [
        DerivedData(
            ("iskra_search.SearchEntry", "iskra_search.SearchTerm"),
            _rebuild_after_restore,
            "search index",
        )
    ]
