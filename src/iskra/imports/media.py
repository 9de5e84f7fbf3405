"""Images and documents of an old site, taken from its uploads folder (never the network).

Each file is stored once per import and once across imports (``ImportedItem`` with the
container "file" keys it on its uploads path); a missing or unreadable file is reported
and its block left out, and the article still imports. Files written by an import that
fails are removed again (``remove_written``).
"""

import hashlib
import os
import re
import shutil
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
        self.records = []  # ImportedItem rows, created by the caller with the others
        self._blank = {}  # model → an unsaved instance, to name stored files
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
        if source in self.images:
            return self.images[source]
        model = get_image_model()
        image_id = self._known().get(f"image:{source}")
        if image_id and not model.objects.filter(pk=image_id).exists():
            image_id = None  # deleted since the last import: stored again
        if image_id is None:
            image = self._store_image(model, source, label, title)
            image_id = image.pk if image else None
        self.images[source] = image_id
        return image_id

    def _store_image(self, model, source, label, title):
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
        image = self._create(
            model,
            "image",
            source,
            path,
            title=(title or PurePosixPath(source).stem)[:255],
            width=width,
            height=height,
        )
        return image

    def _create(self, model, kind, source, path, **fields):
        """Store the file and create its row without save(): the file is measured here,
        and the admin search indexes the import's files at the end (``created``)."""
        name, data = self._store(model, path)
        created = model(
            collection_id=self._root_collection(),
            file=name,
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
            **fields,
        )
        model.objects.bulk_create([created])
        self.created[kind].append(created.pk)
        self._record(f"{kind}:{source}", created.pk)
        self.report.count(f"{kind}s")
        return created

    def _store(self, model, path):
        """Store the file at ``path`` where ``model`` keeps its files; return (name, bytes).

        On local disk the file is copied by the kernel (``shutil.copyfile``) under the
        name the storage would choose; other storages (S3) get it through ``save``.
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
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(path, target)
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
                document = self._create(
                    model, "document", source, path, title=(title or path.name)[:255]
                )
        self.documents[source] = document.pk if document else None
        return self.documents[source]

    def _root_collection(self):
        """The root collection's id, read once (a new image asks the database for it)."""
        if not hasattr(self, "_root"):
            self._root = Collection.get_first_root_node().pk
        return self._root

    def _record(self, item, object_id):
        self.records.append(
            ImportedItem(
                source=self.site.source, container="file", item=item[:255], object_id=object_id
            )
        )
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
