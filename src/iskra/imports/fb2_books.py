"""Read FB2 books (also zipped) into the plain tree.

Files come from outside, so reading is defensive: XML without DTDs (no entity expansion,
no external entities: defusedxml), zip archives checked entry by entry. Every refusal is
a ``BookError`` whose message names the problem and the line or entry where it applies.
"""

import base64
import binascii
import html
import re
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .book_tree import Block, Book, BookError, Section, max_bytes

FB2 = "{http://www.gribuser.ru/xml/fictionbook/2.0}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
INLINE = {"strong": "b", "emphasis": "i", "sup": "sup", "sub": "sub", "code": "code"}
_DECLARED_ENCODING = re.compile(rb'^<\?xml[^>]*encoding=["\']([A-Za-z0-9_.-]+)["\']')


def single_entry(path, *, suffix):
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [e for e in archive.infolist() if e.filename.lower().endswith(suffix)]
            if len(entries) != 1:
                raise BookError(
                    _("The archive must hold exactly one %(suffix)s file; it holds %(count)s.")
                    % {"suffix": suffix, "count": len(entries)}
                )
            entry = entries[0]
            if entry.file_size > max_bytes():
                raise BookError(
                    _("%(entry)s is larger than %(max)s MB when unpacked.")
                    % {"entry": entry.filename, "max": max_bytes() // (1024 * 1024)}
                )
            with archive.open(entry) as handle:
                data = handle.read(max_bytes() + 1)
            if len(data) > max_bytes():
                raise BookError(
                    _("%(entry)s is larger than %(max)s MB when unpacked.")
                    % {"entry": entry.filename, "max": max_bytes() // (1024 * 1024)}
                )
            return data, entry.filename
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise BookError(
            _("The archive is damaged (truncated or not a zip file): %(error)s") % {"error": error}
        ) from None


def _parse_xml(data, where):
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise BookError(
            _(
                "%(where)s declares a DTD or entities, which FB2 books never need; it is "
                "refused because such declarations can expand without end or read other files."
            )
            % {"where": where}
        ) from None
    except ParseError as error:
        line, column = error.position
        declared = _DECLARED_ENCODING.match(data[:200])
        encoding = declared.group(1).decode("ascii") if declared else "UTF-8"
        if "invalid token" in str(error) or "encoding" in str(error):
            raise BookError(
                _(
                    "%(where)s, line %(line)s, column %(column)s: the text is not valid "
                    "%(encoding)s, the encoding the file declares. Save it as UTF-8, or "
                    "correct the encoding in its first line."
                )
                % {"where": where, "line": line, "column": column, "encoding": encoding}
            ) from None
        raise BookError(
            _("%(where)s is not well-formed XML (line %(line)s, column %(column)s): %(error)s")
            % {"where": where, "line": line, "column": column, "error": error}
        ) from None


def _text(element):
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _inline(element):
    """Return the HTML of an element's mixed content (emphasis, links, note references)."""
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        tag = child.tag.removeprefix(FB2)
        inner = _inline(child)
        if tag in INLINE:
            parts.append(f"<{INLINE[tag]}>{inner}</{INLINE[tag]}>")
        elif tag == "a":
            href = child.get(XLINK_HREF, "")
            if href.startswith("#"):
                parts.append(f'<a href="#note-{html.escape(href[1:])}" class="noteref">{inner}</a>')
            elif href.startswith(("http://", "https://")):
                parts.append(f'<a href="{html.escape(href)}">{inner}</a>')
            else:
                parts.append(inner)
        else:
            parts.append(inner)
        parts.append(html.escape(child.tail or "", quote=False))
    return "".join(parts).strip()


def _person(element):
    names = [
        _text(element.find(f"{FB2}{part}")) for part in ("first-name", "middle-name", "last-name")
    ]
    return " ".join(n for n in names if n) or _text(element.find(f"{FB2}nickname"))


def _blocks(element):
    """Return the blocks of a section or similar container, in order."""
    blocks = []
    for child in element:
        tag = child.tag.removeprefix(FB2)
        if tag == "p":
            blocks.append(Block("p", _inline(child)))
        elif tag == "subtitle":
            blocks.append(Block("subtitle", _inline(child)))
        elif tag == "empty-line":
            blocks.append(Block("empty", ""))
        elif tag == "image":
            blocks.append(Block("image", child.get(XLINK_HREF, "").lstrip("#")))
        elif tag in ("epigraph", "cite", "poem"):
            blocks.append(Block(tag, _container_html(child)))
        elif tag == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>"
                for row in child
            )
            blocks.append(Block("table", f"<table>{rows}</table>"))
    return blocks


def _container_html(element):
    """Return an epigraph, cite or poem as HTML: its paragraphs, lines and author."""
    parts = []
    for child in element.iter():
        tag = child.tag.removeprefix(FB2)
        if tag in ("p", "v"):
            parts.append(f"<p>{_inline(child)}</p>")
        elif tag == "text-author":
            parts.append(f'<p class="author">{_inline(child)}</p>')
    return "".join(parts)


def _section(element):
    section = Section(title=_text(element.find(f"{FB2}title")), blocks=_blocks(element))
    section.children = [_section(child) for child in element.findall(f"{FB2}section")]
    return section


def _metadata(info):
    """Return an empty ``Book`` with the title-info's title, people, language and year."""
    if info is None:
        return Book(title="", authors=[], source_format="fb2")
    annotation = info.find(f"{FB2}annotation")
    return Book(
        title=_text(info.find(f"{FB2}book-title")),
        authors=[_person(a) for a in info.findall(f"{FB2}author")],
        translators=[_person(t) for t in info.findall(f"{FB2}translator")],
        language=_text(info.find(f"{FB2}lang")),
        year=_text(info.find(f"{FB2}date")),
        annotation=(
            "".join(f"<p>{_inline(p)}</p>" for p in annotation.iter(f"{FB2}p"))
            if annotation is not None
            else ""
        ),
        source_format="fb2",
    )


def read_fb2(data, *, where="book.fb2"):
    """Return the ``Book`` in FB2 ``data`` (bytes)."""
    root = _parse_xml(data, where)
    if root.tag != f"{FB2}FictionBook":
        raise BookError(_("%(where)s is not an FB2 book (no FictionBook root).") % {"where": where})
    bodies = root.findall(f"{FB2}body")
    main = [body for body in bodies if body.get("name") not in ("notes", "comments")]
    if not main:
        raise BookError(
            _("%(where)s has no <body>: there is no text to import.") % {"where": where}
        )
    book = _metadata(root.find(f"{FB2}description/{FB2}title-info"))
    for body in main:
        loose = _blocks(body)
        sections = [_section(child) for child in body.findall(f"{FB2}section")]
        if loose and any(block.kind != "empty" for block in loose):
            sections.insert(0, Section(title=_text(body.find(f"{FB2}title")), blocks=loose))
        book.sections += sections
    for body in bodies:
        if body.get("name") in ("notes", "comments"):
            for note in body.iter(f"{FB2}section"):
                if note.get("id"):
                    book.notes[note.get("id")] = "".join(
                        f"<p>{_inline(p)}</p>" for p in note.findall(f"{FB2}p")
                    )
    for binary in root.findall(f"{FB2}binary"):
        try:
            data = base64.b64decode(binary.text or "", validate=False)
        except (binascii.Error, ValueError):
            raise BookError(
                _("%(where)s: the picture %(id)s is not valid base64.")
                % {"where": where, "id": binary.get("id")}
            ) from None
        book.images[binary.get("id", "")] = (binary.get("content-type", ""), data)
    if not any(section.blocks or section.children for section in book.sections):
        raise BookError(_("%(where)s has no text in its <body>.") % {"where": where})
    return book
