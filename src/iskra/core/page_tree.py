"""Add many pages under one parent at once (site imports of thousands of articles).

Wagtail's ``add_child`` and ``save_revision().publish()`` cost several queries and
signals per page; an import of 20,000 posts cannot afford them. ``add_children`` writes
the same rows Wagtail would (tree path, url_path, translation key, a revision that is
both the latest and, for live pages, the live one) with a few bulk queries per batch.
The rows of the page type's own table are inserted as a ``raw`` save would write them
(no ``save()``, no signals: per-page handlers, search and references, stay out of it,
as they ignore raw saves anyway): the caller indexes the batch itself.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, Revision

from .bulk import insert_rows, update_rows


def _base_fields():
    return [f for f in Page._meta.concrete_fields if f.attname != "id"]


@transaction.atomic
def add_children(parent, pages):
    """Insert ``pages`` (unsaved instances of one specific page model, each with title,
    slug, locale, ``live`` and its own fields set) as the last children of ``parent``.

    Child relations set in memory (modelcluster: authors, tags) go into each page's
    revision; their rows are the caller's to create once the pages have ids.
    Returns ``pages``, saved.
    """
    if not pages:
        return pages
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    for offset, page in enumerate(pages, 1):
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step + offset)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.draft_title = page.title
        page.translation_key = page.translation_key or uuid.uuid4()
        page.has_unpublished_changes = not page.live
        page.first_published_at = (page.first_published_at or now) if page.live else None
        page.last_published_at = page.first_published_at
        page.latest_revision_created_at = now
    for page in pages:
        # Pin each child relation as it is in memory (unsaved: nothing is read), so that
        # the revision below reads no new page's comments or tags from the database.
        for relation in get_all_child_relations(model):
            children = getattr(page, relation.get_accessor_name())
            children.set(list(children.all()))
    fields = _base_fields()
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(page, f.attname) for f in fields}) for page in pages]
    )
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.id = page.page_ptr_id = base.pk
        page._state.adding = False
    _insert_own_rows(model, pages)
    base_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=content_type,
            base_content_type=base_type,
            object_id=str(page.pk),
            object_str=page.title[:255],
            created_at=now,
            content=page.serializable_data(),
        )
        for page in pages
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if page.live else None
    update_rows(
        Page,
        "id",
        ["latest_revision", "live_revision"],
        [(page.pk, page.latest_revision.pk, page.live_revision_id) for page in pages],
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return pages


def _insert_own_rows(model, pages):
    """Insert the rows of ``model``'s own table (its local fields, ``page_ptr`` included)
    for ``pages``, whose Page rows exist: what ``save_base(raw=True)`` writes."""
    fields = list(model._meta.local_concrete_fields)
    insert_rows(
        model,
        [field.name for field in fields],
        ([getattr(page, field.attname) for field in fields] for page in pages),
    )
