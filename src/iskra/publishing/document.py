"""The one document model the EPUB and PDF builders share (proceedings, library books).

Chapter bodies are HTML fragments (Wagtail rich text); ``xhtml_blocks`` turns them into
well-formed XHTML elements for the builders, dropping anything that is not text
structure (scripts, styles, embeds).
"""

import datetime
import re
from dataclasses import dataclass, field

from lxml import etree, html

BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "pre", "hr", "table"}
INLINE_TAGS = {"b", "strong", "i", "em", "a", "br", "sup", "sub", "code", "span", "li"}
TABLE_TAGS = {"tr", "td", "th"}
_TABLE_PARENT = {"tr": "table", "td": "tr", "th": "tr"}
NOTE_PREFIX = "#note-"
DROPPED = {"script", "style", "iframe", "object", "embed", "form", "input", "img", "video"}


@dataclass
class Chapter:
    """A chapter: a heading, an optional byline, and an HTML body.

    ``depth`` nests it in the contents (0: top level). ``notes`` are its footnotes as
    (key, HTML) pairs; the body refers to them with links to ``#note-<key>``.
    """

    title: str
    body_html: str
    byline: str = ""
    depth: int = 0
    notes: list = field(default_factory=list)


def note_id(key):
    """Return an XML-safe id for the note ``key``."""
    return "note-" + re.sub(r"[^A-Za-z0-9_.-]", "_", key)


@dataclass
class Document:
    """A book: metadata, title-page lines, chapters, colophon paragraphs."""

    title: str
    language: str
    identifier: str
    chapters: list
    subtitle: str = ""
    authors: list = field(default_factory=list)
    publisher: str = ""
    date: datetime.date | None = None
    title_page: list = field(default_factory=list)  # (label, value) pairs
    colophon: list = field(default_factory=list)  # plain paragraphs
    colophon_title: str = "Colophon"
    contents_title: str = "Contents"
    url: str = ""

    @property
    def word_count(self):
        return sum(len(text_of(chapter.body_html).split()) for chapter in self.chapters)


def text_of(fragment):
    """Return the plain text of an HTML fragment."""
    if not fragment or not fragment.strip():
        return ""
    return html.fragment_fromstring(fragment, create_parent="div").text_content()


def xhtml_blocks(fragment):
    """Return the fragment as a list of clean block elements (lxml) for XHTML output."""
    if not fragment or not fragment.strip():
        return []
    root = html.fragment_fromstring(fragment, create_parent="div")
    for element in list(root.iter()):
        # Comments and processing instructions have no string tag.
        if not isinstance(element.tag, str) or element.tag in DROPPED:
            element.drop_tree()
        elif element.tag in ("thead", "tbody", "tfoot"):
            element.drop_tag()
    for element in root.iter():
        if element.tag == "a":
            href = element.get("href", "")
            element.attrib.clear()
            if href.startswith(("http://", "https://", "mailto:")):
                element.set("href", href)
            elif href.startswith(NOTE_PREFIX):
                element.set("href", "#" + note_id(href.removeprefix(NOTE_PREFIX)))
        elif element is not root:
            element.attrib.clear()
        if element.tag == "strong":
            element.tag = "b"
        elif element.tag == "em":
            element.tag = "i"
        elif element.tag == "h1":
            element.tag = "h2"
        elif element is not root and _is_foreign(element):
            element.tag = "span"
    blocks = []
    loose = []
    if root.text and root.text.strip():
        loose.append(root.text)
    for child in root:
        if child.tag in BLOCK_TAGS:
            if loose:
                blocks.append(_paragraph(loose))
                loose = []
            blocks.append(child)
        else:
            loose.append(child)
        if child.tail and child.tail.strip():
            tail, child.tail = child.tail, None
            loose.append(tail)
    if loose:
        blocks.append(_paragraph(loose))
    return blocks


def _is_foreign(element):
    """Is ``element`` unknown to the builders, or a table part outside its table?"""
    if element.tag in TABLE_TAGS:
        return element.getparent().tag != _TABLE_PARENT[element.tag]
    return element.tag not in BLOCK_TAGS | INLINE_TAGS


def _paragraph(parts):
    paragraph = etree.Element("p")
    for part in parts:
        if isinstance(part, str):
            if len(paragraph):
                paragraph[-1].tail = (paragraph[-1].tail or "") + part
            else:
                paragraph.text = (paragraph.text or "") + part
        else:
            paragraph.append(part)
    return paragraph
