"""Factories for the library: a library, and works imported from a small book tree."""

from iskra.imports.books import Block, Book, Section
from iskra.library.models import LibraryPage
from iskra.library.services import import_book

from . import core


def library(language="ru"):
    page = LibraryPage(title="Библиотека", slug=core.unique("library"), intro="Труды классиков.")
    core.home(language).add_child(instance=page)
    return core.publish(page)


def book(title="О профсоюзах", author="Фридрих Энгельс", chapters=None):
    """Return a ``Book`` with ``chapters``: {title: [paragraph HTML, ...]}."""
    chapters = chapters or {
        "Глава первая": ["<p>Рабочие объединяются, чтобы не продавать свой труд дешевле.</p>"],
        "Глава вторая": ["<p>Союзы учат рабочих бороться.</p>", "<p>Второй абзац.</p>"],
    }
    return Book(
        title=title,
        authors=[author],
        language="ru",
        sections=[
            Section(
                title=name,
                blocks=[
                    Block("p", text.removeprefix("<p>").removesuffix("</p>")) for text in paragraphs
                ],
            )
            for name, paragraphs in chapters.items()
        ],
    )


def work(*, library, **book_fields):
    """Import a book into ``library``; return the work page."""
    return import_book(book(**book_fields), library=library).work
