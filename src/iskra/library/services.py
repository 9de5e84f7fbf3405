"""Library operations: import a book (a plain tree from ``iskra.imports.books``) as a work.

One transaction per book. Chapters and paragraphs are written in bulk. Importing the
same book again updates the work in place: a chapter keeps its address when its place
in the contents (its title path) is the same, and a paragraph keeps its number — the
anchor ``#p-N`` that citations point to — when its text is unchanged.
"""

import hashlib
from dataclasses import dataclass

from anyascii import anyascii
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from .models import AuthorPage, Chapter, Note, Paragraph, WorkPage


@dataclass
class ImportResult:
    work: WorkPage
    created: bool
    chapters: int
    paragraphs: int
    kept_anchors: int


def _slug(text, fallback):
    return slugify(anyascii(text or ""))[:60].strip("-") or fallback


def _digest(html):
    text = " ".join(strip_tags(html).split()).lower()
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _author(library, name):
    slug = _slug(name, "author")
    author = AuthorPage.objects.child_of(library).filter(slug=slug).first()
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


def import_book(book, *, library, author_name=""):
    """Save ``book`` as a work of its author in ``library``; return an ``ImportResult``."""
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
        work.save_revision().publish()
        previous = _previous(work)
        Chapter.objects.filter(work=work).delete()
        chapters, paragraphs, kept = _write_chapters(work, book, previous)
        Note.objects.filter(work=work).delete()
        Note.objects.bulk_create(Note(work=work, key=k, html=v) for k, v in book.notes.items())
    return ImportResult(work, created, chapters, paragraphs, kept)


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
