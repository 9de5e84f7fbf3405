"""Read e-books into one plain tree (``book_tree``) that the library saves: FB2 (also
zipped), EPUB, plain text and Markdown, each by its own reader.

A size limit applies before anything is read; every refusal is a ``BookError`` whose
message names the problem and the line or entry where it applies.
"""

from pathlib import Path

from django.utils.translation import gettext as _

from .book_tree import Block, Book, BookError, Section, max_bytes
from .epub_books import read_epub
from .fb2_books import read_fb2, single_entry
from .text_books import read_text

__all__ = ["Block", "Book", "BookError", "Section", "max_bytes", "read_book"]


def read_book(path, *, name=None):
    """Return the ``Book`` in the file at ``path``: FB2 (also zipped), EPUB, text, Markdown."""
    path = Path(path)
    name = (name or path.name).lower()
    size = path.stat().st_size
    if size > max_bytes():
        raise BookError(
            _("The file is %(size)s MB; the largest book that can be imported is %(max)s MB.")
            % {"size": size // (1024 * 1024), "max": max_bytes() // (1024 * 1024)}
        )
    if name.endswith((".fb2.zip", ".zip")):
        data, entry = single_entry(path, suffix=".fb2")
        return read_fb2(data, where=entry)
    if name.endswith(".fb2"):
        return read_fb2(path.read_bytes(), where=path.name)
    if name.endswith(".epub"):
        return read_epub(path, where=path.name)
    if name.endswith((".txt", ".md", ".markdown")):
        return read_text(path.read_bytes(), where=path.name, title=path.stem)
    raise BookError(
        _("%(name)s: Iskra reads FB2 (.fb2, .fb2.zip), EPUB, plain text and Markdown books.")
        % {"name": name}
    )
