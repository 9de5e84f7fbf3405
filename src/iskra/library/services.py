"""Library operations: import a book (a plain tree from ``iskra.imports.books``) as a work.

One transaction per book. Chapters and paragraphs are written in bulk. Importing the
same book again updates the work in place: a chapter keeps its address when its place
in the contents (its title path) is the same, and a paragraph keeps its number — the
anchor ``#p-N`` that citations point to — when its text is unchanged.
"""

import contextlib
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from anyascii import anyascii
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from iskra.publishing import services as publishing
from iskra.search import services as search

from .models import AuthorPage, Chapter, Note, Paragraph, WorkImage, WorkOriginal, WorkPage

IMAGE_TYPES = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_IMAGE_PIXELS = 40_000_000


@dataclass
class ImportResult:
    work: WorkPage
    created: bool
    chapters: int
    paragraphs: int
    kept_anchors: int
    images: int = 0
    skipped_images: list = field(default_factory=list)


def _slug(text, fallback):
    return slugify(anyascii(text or ""))[:60].strip("-") or fallback


def _digest(html):
    text = " ".join(strip_tags(html).split()).lower()
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _author(library, name):
    slug = _slug(name, "author")
    authors = AuthorPage.objects.child_of(library)
    author = authors.filter(title__iexact=name).first() or authors.filter(slug=slug).first()
    if author is None:
        author = library.add_child(
            instance=AuthorPage(title=name, slug=slug, locale=library.locale)
        )
        author.save_revision().publish()
    return author


def _previous(work):
    """Return ``{title path: (slug, {digest: [numbers]}, max number)}`` of the old chapters."""
    chapters = {c.pk: c for c in Chapter.objects.filter(work=work)}
    paths = {}

    def path_of(chapter):
        if chapter.pk not in paths:
            parent = chapters.get(chapter.parent_id)
            paths[chapter.pk] = (path_of(parent) if parent else ()) + (chapter.title,)
        return paths[chapter.pk]

    previous = {}
    for chapter in chapters.values():
        previous[path_of(chapter)] = [chapter.slug, {}, 0]
    for chapter_id, number, digest in Paragraph.objects.filter(chapter__work=work).values_list(
        "chapter_id", "number", "digest"
    ):
        entry = previous[path_of(chapters[chapter_id])]
        entry[1].setdefault(digest, []).append(number)
        entry[2] = max(entry[2], number)
    return previous


def original_format(name):
    """Return the kind of original file kept for download (FB2, EPUB), or "" for none."""
    name = name.lower()
    if name.endswith((".fb2.zip", ".zip")):
        return "fb2.zip"
    if name.endswith(".fb2"):
        return "fb2"
    if name.endswith(".epub"):
        return "epub"
    return ""


def _images(book):
    """Return ``{key: (extension, bytes, width, height)}`` of the pictures that really are
    pictures (checked with Pillow), and the keys of those refused."""
    kept, refused = {}, []
    for key, (_content_type, data) in book.images.items():
        try:
            with Image.open(io.BytesIO(data)) as picture:
                if picture.format not in IMAGE_TYPES:
                    raise UnidentifiedImageError(picture.format)
                if picture.width * picture.height > MAX_IMAGE_PIXELS:
                    raise UnidentifiedImageError("too large")
                picture.verify()
                kept[key] = (IMAGE_TYPES[picture.format], data, picture.width, picture.height)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            refused.append(key)
    return kept, refused


def import_book(book, *, library, author_name="", original=None):
    """Save ``book`` as a work of its author in ``library``; return an ``ImportResult``.

    ``original`` is the path of the file the book was read from: FB2 and EPUB files are
    kept for download. Everything happens in one transaction; files written for an
    import that fails are removed again, and replaced files only after the commit.
    """
    images, refused = _images(book)
    written = []
    try:
        result = _import(book, library, author_name, original, images, written)
    except BaseException:
        for storage, name in written:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise
    result.skipped_images = refused
    return result


def _save_file(field_file, name, data, written):
    field_file.save(name, ContentFile(data), save=False)
    written.append((field_file.storage, field_file.name))


def _import(book, library, author_name, original, images, written):
    with transaction.atomic():
        author = _author(library, author_name or (book.authors[0] if book.authors else "—"))
        slug = _slug(book.title, "work")
        work = WorkPage.objects.child_of(author).filter(slug=slug).first()
        created = work is None
        if created:
            work = author.add_child(
                instance=WorkPage(title=book.title, slug=slug, locale=library.locale)
            )
        work.translator = ", ".join(book.translators)[:300]
        work.year_written = book.year[:40]
        work.original_language = (
            "" if book.language == library.locale.language_code else book.language
        )
        work.imported_at = timezone.now()
        if book.annotation and not work.description:
            work.description = book.annotation
        # Indexed below, once its chapters exist; its editions are built by the periodic
        # check (a long work takes minutes, and an import should return at once).
        with search.indexing_deferred(work.pk), publishing.building_deferred(work.pk):
            work.save_revision().publish()
        previous = _previous(work)
        Chapter.objects.filter(work=work).delete()
        chapters, paragraphs, kept = _write_chapters(work, book, previous)
        Note.objects.filter(work=work).delete()
        Note.objects.bulk_create(Note(work=work, key=k, html=v) for k, v in book.notes.items())
        stale = _replace_images(work, images, written)
        stale += _keep_original(work, original, written)
        search.index_page(work)
        transaction.on_commit(lambda: _delete_stored(stale))
    return ImportResult(work, created, chapters, paragraphs, kept, images=len(images))


def _replace_images(work, images, written):
    """Store the book's pictures; return the (storage, name) of the replaced files."""
    old = list(WorkImage.objects.filter(work=work))
    WorkImage.objects.filter(work=work).delete()
    rows = []
    for key, (extension, data, width, height) in images.items():
        row = WorkImage(work=work, key=key[:200], width=width, height=height)
        _save_file(row.file, f"{work.pk}-{_slug(key, 'image')}.{extension}", data, written)
        rows.append(row)
    WorkImage.objects.bulk_create(rows)
    return [(row.file.storage, row.file.name) for row in old if row.file]


def _keep_original(work, original, written):
    """Keep the FB2 or EPUB file; return the (storage, name) of a replaced original."""
    kind = original_format(Path(original).name) if original else ""
    if not kind:
        return []
    kept, _created = WorkOriginal.objects.get_or_create(work=work)
    stale = [(kept.file.storage, kept.file.name)] if kept.file else []
    data = Path(original).read_bytes()
    _save_file(kept.file, f"{work.slug}.{kind}", data, written)
    kept.format, kept.size = kind, len(data)
    kept.save(update_fields=["file", "format", "size"])
    return stale


def _delete_stored(files):
    for storage, name in files:
        with contextlib.suppress(OSError):
            storage.delete(name)


def _write_chapters(work, book, previous):
    """Create the chapters (parents first) and their paragraphs; return the counts."""
    used_slugs, path_stack, kept = set(), [], 0
    rows = []
    for position, (depth, section) in enumerate(book.walk()):
        path_stack = path_stack[:depth] + [section.title]
        key = tuple(path_stack)
        old_slug, old_numbers, old_max = previous.get(key, (None, {}, 0))
        slug = old_slug or f"{position + 1}-{_slug(section.title, 'chapter')}"[:80]
        while slug in used_slugs:
            slug = f"{slug}-{position}"
        used_slugs.add(slug)
        rows.append(
            (
                depth,
                Chapter(
                    work=work, position=position, depth=depth, slug=slug, title=section.title[:500]
                ),
                section,
                old_numbers,
                old_max,
            )
        )
    parents = []
    for depth, chapter, *_rest in rows:
        parents = parents[:depth]
        chapter.parent = parents[-1] if parents else None
        chapter.save()  # one insert per chapter: parents need their ids (thousands, not millions)
        parents.append(chapter)
    paragraph_rows = []
    for _depth, chapter, section, old_numbers, old_max in rows:
        next_number = old_max + 1
        for position, block in enumerate(b for b in section.blocks if b.kind != "empty"):
            digest = _digest(block.html) if block.kind != "image" else f"image:{block.html}"
            reused = old_numbers.get(digest)
            if reused:
                number = reused.pop(0)
                kept += 1
            else:
                number, next_number = next_number, next_number + 1
            paragraph_rows.append(
                Paragraph(
                    chapter=chapter,
                    number=number,
                    position=position,
                    kind=block.kind,
                    html=block.html,
                    digest=digest,
                )
            )
    Paragraph.objects.bulk_create(paragraph_rows, batch_size=2000)
    return len(rows), len(paragraph_rows), kept
