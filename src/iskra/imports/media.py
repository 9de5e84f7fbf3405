"""Images and documents of an old site, taken from its uploads folder (never the network).

Each file is stored once per import and once across imports (``ImportedItem`` with the
container "file" keys it on its uploads path); a missing or unreadable file is reported
and its block left out, and the article still imports. Files written by an import that
fails are removed again (``remove_written``).
"""

import hashlib
import os
import re
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from .models import ImportedItem

# WordPress's resized copies: photo-300x200.jpg is photo.jpg made smaller.
_RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class MediaStore:
    """The files of one import: ``image(path)`` and ``document(path)`` return stored ones."""

    def __init__(self, site, report):
        self.site = site
        self.report = report
        self.images = {}
        self.documents = {}
        self.written = []
        self.known = None
        self.records = []  # ImportedItem rows' values, created by the caller with the others
        self._blank = {}  # model → an unsaved instance, to name stored files
        self._folders = set()  # the storage folders made so far
        self.created = {"image": [], "document": []}  # ids, for the admin search at the end

    def _known(self):
        if self.known is None:
            self.known = dict(
                ImportedItem.objects.filter(source=self.site.source, container="file").values_list(
                    "item", "object_id"
                )
            )
        return self.known

    def _find(self, source):
        path = self.site.file(source)
        if path is None and _RESIZED.search(source):
            path = self.site.file(_RESIZED.sub("", source))
        return path

    def image(self, source, *, label, title=""):
        """Return the id of the Wagtail image of uploads file ``source``, or None (then
        reported). Ids, not images, are kept: an import holds tens of thousands."""
        source = source.strip().lstrip("/")
        if source not in self.images:
            self.store_images([(source, label, title)])
        return self.images[source]

    def store_images(self, wanted):
        """Store the images ``[(source, label, title)]`` not stored yet, their rows in one
        query (an import asks for a batch of articles' pictures at once); afterwards
        ``image(source)`` answers from memory."""
        model = get_image_model()
        fresh, seen = [], set()
        for source, label, title in wanted:
            source = source.strip().lstrip("/")
            if source not in self.images and source not in seen:
                seen.add(source)
                fresh.append((source, label, title))
        known = {s: self._known().get(f"image:{s}") for s, _l, _t in fresh}
        existing = set(
            model.objects.filter(pk__in=[pk for pk in known.values() if pk]).values_list(
                "pk", flat=True
            )
        )
        rows = []
        for source, label, title in fresh:
            if known[source] in existing:
                self.images[source] = known[source]
                continue  # else new, or deleted since the last import: stored (again)
            row = self._image_row(model, source, label, title)
            self.images[source] = None
            if row is not None:
                rows.append((source, row))
        self._create_rows(model, "image", rows)

    def _image_row(self, model, source, label, title):
        """Store the file of ``source``; return its unsaved image row, or None."""
        path = self._find(source)
        if path is None:
            self.report.missing_files.append((label, source))
            return None
        try:
            with PillowImage.open(path) as picture:
                width, height = picture.size
        except (UnidentifiedImageError, OSError):
            self.report.note(label, f"not a picture: {source}")
            return None
        return self._row(
            model,
            path,
            title=(title or PurePosixPath(source).stem)[:255],
            width=width,
            height=height,
        )

    def _row(self, model, path, **fields):
        """Store the file at ``path`` and return its unsaved row (measured here: no
        save(), and the admin search indexes the import's files at the end)."""
        name, data = self._store(model, path)
        return model(
            collection_id=self._root_collection(),
            file=name,
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
            **fields,
        )

    def _create_rows(self, model, kind, rows):
        """Create the rows ``[(source, unsaved row)]`` in bulk and remember their ids."""
        if not rows:
            return
        model.objects.bulk_create([row for _source, row in rows], batch_size=500)
        store = self.images if kind == "image" else self.documents
        for source, row in rows:
            store[source] = row.pk
            self.created[kind].append(row.pk)
            self._record(f"{kind}:{source}", row.pk)
        self.report.count(f"{kind}s", len(rows))

    def _store(self, model, path):
        """Store the file at ``path`` where ``model`` keeps its files; return (name, bytes).

        On local disk the bytes read for the hash are written under the name the storage
        would choose (reading the file once); other storages (S3) get it through ``save``.
        """
        field = model._meta.get_field("file")
        storage = field.storage
        data = path.read_bytes()
        if model not in self._blank:
            self._blank[model] = model(collection_id=self._root_collection())
        wanted = field.generate_filename(self._blank[model], path.name)
        if isinstance(storage, FileSystemStorage):
            name = storage.get_available_name(wanted)
            target = storage.path(name)
            folder = os.path.dirname(target)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            with open(target, "xb") as handle:
                # Listed before it is written: a file cut short (a full disk) goes too.
                self.written.append((storage, name))
                handle.write(data)
            if storage.file_permissions_mode is not None:
                os.chmod(target, storage.file_permissions_mode)
        else:
            with path.open("rb") as handle:
                name = storage.save(wanted, File(handle))
            self.written.append((storage, name))
        return name, data

    def document(self, source, *, label, title=""):
        """Return the id of the Wagtail document of uploads file ``source``, or None (then
        reported)."""
        source = source.strip().lstrip("/")
        if source in self.documents:
            return self.documents[source]
        model = get_document_model()
        document = None
        known_id = self._known().get(f"document:{source}")
        if known_id and model.objects.filter(pk=known_id).exists():
            self.documents[source] = known_id
            return known_id
        if document is None:
            path = self._find(source)
            if path is None:
                self.report.missing_files.append((label, source))
            else:
                document = self._row(model, path, title=(title or path.name)[:255])
        self.documents[source] = None
        if document is not None:
            self._create_rows(model, "document", [(source, document)])
        return self.documents[source]

    def _root_collection(self):
        """The root collection's id, read once (a new image asks the database for it)."""
        if not hasattr(self, "_root"):
            self._root = Collection.get_first_root_node().pk
        return self._root

    def _record(self, item, object_id):
        # The ImportedItem row's values (source, container, item, page, object, digest):
        # tuples, not model instances, for the tens of thousands of an import.
        self.records.append((self.site.source, "file", item[:255], None, object_id, ""))
        self._known()[item[:255]] = object_id

    def remove_written(self):
        """Delete the files this import wrote (after a failure or a dry run)."""
        for storage, name in self.written:
            storage.delete(name)
        self.written = []


def queue_admin_search(model, object_ids, *, chunk=500):
    """Once the import commits, add what it wrote in bulk to the admin search (a task:
    the analysis of thousands of texts is slow work for the background)."""
    from django.db import transaction

    from .tasks import index_for_admin

    label = model._meta.label
    ids = list(object_ids)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        transaction.on_commit(lambda part=part: index_for_admin.enqueue(label, part))
