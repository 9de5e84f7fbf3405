"""The contracts through which content apps offer their pages to the service apps.

A content app registers, in its ``AppConfig.ready()``:

- a ``SearchProvider`` for each kind of searchable thing: ``iskra.search`` indexes what
  it returns and answers queries over it;
- an ``EditionSource`` for each page type that has downloadable editions (EPUB, PDF):
  ``iskra.publishing`` builds, stores and reports them.

A service app may also register an old-address resolver (``iskra.imports`` does, for
the addresses of imported sites): the core's "page not found" view asks it before it
renders a 404.

The service apps read these registries and import no content app; the content apps
import the service apps' public functions (``iskra.search.services``,
``iskra.publishing.services``). ``docs/architecture.md`` draws the directions.
"""

import html as html_lib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from wagtail.blocks import ChooserBlock, ListBlock, RichTextBlock, StreamBlock, StructBlock

# Search ---------------------------------------------------------------------------------


@dataclass
class SearchDocument:
    """What the index holds of one searchable thing; plain text, no markup."""

    kind: str  # the provider's kind: "article", "event", "chapter"
    object_id: int  # the page; for a thing inside a page (a chapter), its own row
    page_id: int  # the page a result links to
    language: str
    title: str
    lead: str = ""
    body: str = ""
    section_id: int | None = None  # the section filter's value (section, author, ...)
    section_title: str = ""
    date: Any = None  # a date, for the date filters and recency
    context: str = ""  # shown above the title (the work of a chapter)
    path: str = ""  # appended to the page's URL (a chapter's slug)
    keywords: str = ""  # weighted like the lead (tags, authors, speakers), never shown

    @classmethod
    def for_page(cls, page, *, kind, body, keywords="", date=None, parent=None):
        """Return the document of a page found as itself: its title, lead (``page.lead``)
        and language, its parent as the section (``parent``, when the caller has it)."""
        parent = parent or page.get_parent()
        return cls(
            kind=kind,
            object_id=page.pk,
            page_id=page.pk,
            language=page.locale.language_code,
            title=page.title,
            lead=getattr(page, "lead", ""),
            body=body,
            keywords=keywords.strip(),
            section_id=parent.pk if parent else None,
            section_title=parent.title if parent else "",
            date=date,
        )


@dataclass(frozen=True)
class SearchProvider:
    """A kind of searchable thing, offered by the content app that owns it.

    ``documents(page)`` returns the documents of a live, public page of ``model`` (one
    for an article, one per chapter for a library work); ``live_pages()`` the pages a
    rebuild indexes, oldest first; ``sections(languages)`` the (id, title) choices of
    the search page's section filter, where the kind has sections.
    """

    kind: str
    label: Any  # a lazily translated name: the search page's type filter
    model: type
    documents: Callable[[Any], Iterable[SearchDocument]]
    live_pages: Callable[[], Any]
    sections: Callable[[tuple], list] | None = None


_search_providers: dict[str, SearchProvider] = {}


# Tags that end a word (blocks, line breaks) become a space; inline ones (bold, links)
# nothing, so that "рабо<b>чий</b>" stays one word.
_BREAKING_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|br|div|blockquote|tr|td|th|table|figure|figcaption|hr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")


def plain_text(html):
    """Return ``html`` as one line of plain text (for a ``SearchDocument``)."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    text = _TAG.sub("", _BREAKING_TAG.sub(" ", html))
    return " ".join(html_lib.unescape(text).split())


def stream_text(page, field_name):
    """Return the searchable text of ``page``'s StreamField ``field_name`` as plain text.

    Read from the stored data: rich text from its source (Wagtail's own searchable
    content parses each paragraph's HTML twice over), and no chooser block (an image, a
    document) is loaded from the database, as none has text of its own to search."""
    stream = getattr(page, field_name)
    parts = []
    for child in stream.raw_data:
        block = stream.stream_block.child_blocks.get(child.get("type"))
        if block is not None:
            parts += _raw_text(block, child.get("value"))
    return " ".join(filter(None, (plain_text(part) for part in parts)))


def _raw_text(block, value):
    """Return the searchable texts of a block's stored ``value`` (as in the database)."""
    if value is None or isinstance(block, ChooserBlock):
        return []
    if isinstance(block, RichTextBlock):
        return [value] if block.search_index else []
    if isinstance(block, StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            if isinstance(value, dict)
            for text in _raw_text(child, value.get(name))
        ]
    if isinstance(block, ListBlock):
        items = (v.get("value") if isinstance(v, dict) and "type" in v else v for v in value)
        return [text for item in items for text in _raw_text(block.child_block, item)]
    if isinstance(block, StreamBlock):
        return [
            text
            for item in value
            if item.get("type") in block.child_blocks
            for text in _raw_text(block.child_blocks[item["type"]], item.get("value"))
        ]
    return block.get_searchable_content(block.to_python(value))


def register_search_provider(provider):
    """Offer ``provider``'s kind to the search (idempotent: the last one of a kind wins)."""
    _search_providers[provider.kind] = provider


def search_providers():
    """Return the registered search providers in the order they were registered."""
    return list(_search_providers.values())


def _page_class(page):
    return getattr(page, "specific_class", None) or type(page)


def search_provider_for(page):
    """Return the provider of ``page``'s type, or None when such pages are not searched."""
    page_class = _page_class(page)
    for provider in _search_providers.values():
        if issubclass(page_class, provider.model):
            return provider
    return None


# Editions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionSource:
    """A page type that has EPUB and PDF editions, offered by the content app that owns it.

    ``document(page)`` returns the ``iskra.publishing.document.Document`` to build, or
    None when the page has nothing to build (an event without talk texts); ``digest(page)``
    a cheap digest of everything the document is built from, or None for "nothing to
    build" (without it, publishing digests the document itself); ``pages()`` the live
    pages the periodic check looks at.
    """

    name: str  # a short name for reports and logs: "volume", "work"
    label: Any  # lazily translated: "Collected volume", "Library edition"
    model: type
    document: Callable[[Any], Any]
    pages: Callable[[], Any]
    digest: Callable[[Any], str | None] | None = None
    build_on_publish: bool = True


_edition_sources: dict[type, EditionSource] = {}


def register_edition_source(source):
    """Offer ``source``'s page type to the edition pipeline."""
    _edition_sources[source.model] = source


def edition_sources():
    return list(_edition_sources.values())


def edition_source_for(page):
    """Return the edition source of ``page``'s type, or None."""
    page_class = _page_class(page)
    for model, source in _edition_sources.items():
        if issubclass(page_class, model):
            return source
    return None


# Old addresses --------------------------------------------------------------------------

_address_resolvers: list[Callable[[Any], str | None]] = []


def register_address_resolver(resolver):
    """Let ``resolver(request)`` answer a request no page answered: it returns the URL
    the address lives at now (answered with a permanent redirect), or None."""
    if resolver not in _address_resolvers:
        _address_resolvers.append(resolver)


def address_resolvers():
    return list(_address_resolvers)


# Changes outside publishing -------------------------------------------------------------

_change_sources: list[Callable[[Any], Any]] = []


def register_change_source(source):
    """Let ``source(since)`` return the ids of pages whose rendering changed after
    ``since`` (a datetime) although the page itself was not published again (an
    article's stored related list re-ranked when a neighbour was published): the
    static mirror renders those pages again."""
    if source not in _change_sources:
        _change_sources.append(source)


def pages_changed_since(since):
    """Return the ids of pages the registered change sources name since ``since``."""
    return {pk for source in _change_sources for pk in source(since)}
