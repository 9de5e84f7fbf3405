"""Keep the search index in step with publishing: index on publish, remove on unpublish,
move or delete. The index lives in the same database, so it commits or rolls back with
the change that caused it."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import services


def _published(sender, instance, **kwargs):
    page = instance.specific
    from iskra.library.models import WorkPage

    if isinstance(page, WorkPage):
        if page.pk not in services.DEFERRED.get():  # the importer indexes at its end
            services.index_work(page)
    else:
        services.index_page(page)


def _unpublished(sender, instance, **kwargs):
    services.unindex_page(instance)


def _moved(sender, instance, **kwargs):
    page = instance.specific
    from iskra.library.models import WorkPage

    if isinstance(page, WorkPage):
        services.index_work(page)
    else:
        services.index_page(page)


def _deleted(sender, instance, **kwargs):
    services.unindex_page(instance)


def connect():
    page_published.connect(_published, dispatch_uid="iskra-search-published")
    page_unpublished.connect(_unpublished, dispatch_uid="iskra-search-unpublished")
    post_page_move.connect(_moved, dispatch_uid="iskra-search-moved")
    post_delete.connect(_deleted, sender=Page, dispatch_uid="iskra-search-deleted")
