"""Keep the search index in step with publishing: index on publish and move, remove on
unpublish and delete. The index lives in the same database, so it commits or rolls back
with the change that caused it."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import indexing


def _published(sender, instance, **kwargs):
    if instance.pk not in indexing.DEFERRED.get():  # e.g. the book importer indexes at its end
        indexing.index_page(instance)


def _unpublished(sender, instance, **kwargs):
    indexing.unindex_page(instance)


def _moved(sender, instance, **kwargs):
    indexing.index_page(instance)


def _deleted(sender, instance, **kwargs):
    indexing.unindex_page(instance)


def connect():
    page_published.connect(_published, dispatch_uid="iskra-search-published")
    page_unpublished.connect(_unpublished, dispatch_uid="iskra-search-unpublished")
    post_page_move.connect(_moved, dispatch_uid="iskra-search-moved")
    post_delete.connect(_deleted, sender=Page, dispatch_uid="iskra-search-deleted")
