"""The plain tree every book reader produces and the library saves: a book, its nested
sections and their blocks, notes and pictures."""

from dataclasses import dataclass, field

from django.conf import settings


class BookError(ValueError):
    """The file cannot be imported; the message says why and where."""


@dataclass
class Block:
    """A piece of a section's text: ``kind`` is p, subtitle, epigraph, poem, cite, image,
    table or empty; ``html`` is its content (images: the id of the picture)."""

    kind: str
    html: str


@dataclass
class Section:
    title: str = ""
    blocks: list = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass
class Book:
    title: str
    authors: list
    language: str = ""
    translators: list = field(default_factory=list)
    year: str = ""
    annotation: str = ""
    sections: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)  # note id → HTML
    images: dict = field(default_factory=dict)  # image id → (content type, bytes)
    source_format: str = ""

    def walk(self):
        """Yield (depth, section) in reading order."""
        stack = [(0, section) for section in reversed(self.sections)]
        while stack:
            depth, section = stack.pop()
            yield depth, section
            stack += [(depth + 1, child) for child in reversed(section.children)]


def max_bytes():
    return getattr(settings, "LIBRARY_IMPORT_MAX_MB", 100) * 1024 * 1024
