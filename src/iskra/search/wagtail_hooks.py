from wagtail import hooks


def _fill_empty_index():
    """A site that had pages before the index existed gets them indexed once."""
    from django.core.management import call_command

    from iskra.news.models import ArticlePage

    from .models import SearchEntry
    from .services import rebuild

    if SearchEntry.objects.exists() or not ArticlePage.objects.live().exists():
        return ""
    pages = rebuild()
    call_command("update_index", verbosity=0)  # the admin's search: same analysis now
    return f"search index built: {pages} pages"


@hooks.register("iskra_scheduled_jobs")
def register_scheduled_jobs():
    from iskra.core.schedule import Job

    return [Job("search_index", 600, _fill_empty_index)]
