"""Read EPUB 2 and 3 books: metadata from the package, order from the spine, titles and
nesting from the navigation document (EPUB 3) or the NCX (EPUB 2)."""

import html as html_module
import posixpath
import re
import zipfile
from urllib.parse import unquote

import lxml.html
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .book_tree import Block, Book, BookError, Section, max_bytes

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
MAX_ENTRIES = 20_000


class _Archive:
    """A zip read entry by entry within the size limit."""

    def __init__(self, path, where):
        self.where = where
        try:
            self.zip = zipfile.ZipFile(path)
            entries = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BookError(
                _("%(where)s is damaged (truncated or not a zip file): %(error)s")
                % {"where": where, "error": error}
            ) from None
        if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > max_bytes():
            raise BookError(
                _("%(where)s is larger than %(max)s MB when unpacked.")
                % {"where": where, "max": max_bytes() // (1024 * 1024)}
            )
        self.names = {e.filename for e in entries}

    def read(self, name):
        if name not in self.names:
            raise BookError(
                _("%(where)s: the entry %(entry)s is missing.")
                % {"where": self.where, "entry": name}
            )
        try:
            with self.zip.open(name) as handle:
                return handle.read(max_bytes() + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BookError(
                _("%(where)s: the entry %(entry)s is damaged: %(error)s")
                % {"where": self.where, "entry": name, "error": error}
            ) from None

    def xml(self, name):
        try:
            return fromstring(self.read(name), forbid_dtd=False)
        except DefusedXmlException:
            raise BookError(
                _("%(where)s: %(entry)s declares entities; refused for safety.")
                % {"where": self.where, "entry": name}
            ) from None
        except Exception as error:  # expat's ParseError and friends
            raise BookError(
                _("%(where)s: %(entry)s is not well-formed XML: %(error)s")
                % {"where": self.where, "entry": name, "error": error}
            ) from None


def _join(base, href):
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href)))


def _toc(archive, opf_path, package, manifest):
    """Return [(depth, title, href without fragment)] from the nav document or the NCX."""
    nav = next((i for i in manifest.values() if "nav" in (i.get("properties") or "").split()), None)
    entries = []
    if nav is not None:
        path = _join(opf_path, nav.get("href"))
        document = lxml.html.fromstring(archive.read(path))
        for toc in document.iter("nav"):
            kind = toc.get("{http://www.idpf.org/2007/ops}type") or toc.get("epub:type") or ""
            if "toc" not in kind and entries:
                continue

            def walk(ol, depth):
                for li in ol.findall("li"):
                    link = li.find("a")
                    if link is not None and link.get("href"):
                        entries.append(
                            (
                                depth,
                                " ".join(link.text_content().split()),
                                _join(path, link.get("href")),
                            )
                        )
                    for child in li.findall("ol"):
                        walk(child, depth + 1)

            for ol in toc.findall("ol"):
                walk(ol, 0)
            if entries:
                return entries
    spine = package.find(f"{OPF}spine")
    ncx_id = spine.get("toc") if spine is not None else None
    if ncx_id and ncx_id in manifest:
        path = _join(opf_path, manifest[ncx_id].get("href"))

        def points(parent, depth):
            for point in parent.findall(f"{NCX}navPoint"):
                label = point.find(f"{NCX}navLabel/{NCX}text")
                content = point.find(f"{NCX}content")
                if content is not None:
                    title = " ".join((label.text or "").split()) if label is not None else ""
                    entries.append((depth, title, _join(path, content.get("src", ""))))
                points(point, depth + 1)

        nav_map = archive.xml(path).find(f"{NCX}navMap")
        if nav_map is not None:
            points(nav_map, 0)
    return entries


NOTE_TYPES = {"footnote", "footnotes", "endnote", "endnotes", "rearnote", "rearnotes"}
NOTE_ROLES = {"doc-footnote", "doc-endnotes", "doc-endnote"}


def _is_note(element):
    kinds = set((element.get("epub:type") or "").split()) | {element.get("role") or ""}
    return (
        bool(kinds & (NOTE_TYPES | NOTE_ROLES))
        or "footnotes" in (element.get("class") or "").split()
    )


def _notes(body, key):
    """Return the elements inside footnote containers, and {note key: HTML} of the notes."""
    inside, notes = set(), {}
    for container in [e for e in body.iter() if isinstance(e.tag, str) and _is_note(e)]:
        inside.update(container.iter())
        for note in container.iter():
            if not isinstance(note.tag, str) or not note.get("id") or note is container:
                continue
            if note.tag not in ("aside", "li", "div", "section", "p"):
                continue
            for back in note.iter("a"):
                if back.get("role") == "doc-backlink" or "footnote-back" in (
                    back.get("class") or ""
                ):
                    back.drop_tree()
            paragraphs = list(note.iter("p")) or [note]
            text = "".join(f"<p>{_inline(p, key)}</p>" for p in paragraphs)
            notes[f"{key}-{note.get('id')}"] = text.replace("<p>. ", "<p>")
    return inside, notes


def _is_front_matter(document):
    """A cover, title page or printed contents: the library shows its own."""
    body = document.find(".//body")
    if body is None:
        return False
    skipped = {"cover", "titlepage", "toc"}
    for element in [body, *body]:
        if isinstance(element.tag, str) and skipped & set((element.get("epub:type") or "").split()):
            return True
    return False


def _file_key(name):
    return posixpath.splitext(posixpath.basename(name))[0]


def _segments(document, anchors, key="", notes=None):
    """Return [(anchor id or None, blocks)]: the document cut where the TOC points inside it.

    Footnotes (EPUB 3 ``epub:type``/ARIA roles, Pandoc's ``footnotes`` section) are left
    out of the text and put in ``notes``, keyed by file and id.
    """
    segments = [(None, [])]
    body = document.find(".//body")
    inside, found = _notes(body, key) if body is not None else (set(), {})
    if notes is not None:
        notes.update(found)
    for element in body.iter() if body is not None else []:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in inside:
            continue
        if element.get("id") in anchors and segments[-1][0] != element.get("id"):
            segments.append((element.get("id"), []))
        block = None
        if tag == "p" and element.getparent().tag not in ("blockquote", "li", "aside"):
            block = Block("p", _inline(element, key))
        elif tag in ("h2", "h3", "h4", "h5", "h6") and element.get("id") not in anchors:
            block = Block("subtitle", _inline(element, key))
        elif tag == "blockquote":
            quoted = "".join(f"<p>{_inline(p, key)}</p>" for p in element.iter("p"))
            block = Block("cite", quoted or f"<p>{_inline(element, key)}</p>")
        elif tag == "li":
            block = Block("p", "• " + _inline(element, key))
        elif tag == "img" and element.get("src"):
            block = Block("image", element.get("src"))
        if block is not None and block.html.strip():
            segments[-1][1].append(block)
    return segments


def _inline(element, key=""):
    """Return the HTML of an element's mixed content; links to anchors become note
    references keyed like ``_notes`` keys them (``key`` is this file's)."""
    parts = [html_module.escape(element.text or "", quote=False)]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = _inline(child, key)
        if tag in ("b", "strong"):
            parts.append(f"<b>{inner}</b>")
        elif tag in ("i", "em"):
            parts.append(f"<i>{inner}</i>")
        elif tag == "a" and (child.get("href") or "").startswith(("http://", "https://")):
            parts.append(f'<a href="{html_module.escape(child.get("href"))}">{inner}</a>')
        elif tag == "a" and "#" in (child.get("href") or ""):
            file_name, _hash, target = child.get("href").partition("#")
            note = f"{_file_key(file_name) if file_name else key}-{target}"
            parts.append(f'<a href="#note-{html_module.escape(note)}" class="noteref">{inner}</a>')
        elif tag in ("sup", "sub"):
            parts.append(f"<{tag}>{inner}</{tag}>")
        elif tag != "br":
            parts.append(inner)
        parts.append(html_module.escape(child.tail or "", quote=False))
    return " ".join("".join(parts).split())


def read_epub(path, *, where="book.epub"):
    """Return the ``Book`` in the EPUB at ``path``."""
    archive = _Archive(path, where)
    container = archive.xml("META-INF/container.xml")
    rootfile = container.find(f"{CONTAINER}rootfiles/{CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise BookError(_("%(where)s: META-INF/container.xml names no package.") % {"where": where})
    opf_path = rootfile.get("full-path")
    package = archive.xml(opf_path)
    manifest = {item.get("id"): item for item in package.iter(f"{OPF}item")}
    book = _book_of(package.find(f"{OPF}metadata"))
    _read_spine(book, archive, opf_path, package, manifest)
    if not any(s.blocks for _d, s in book.walk()):
        raise BookError(_("%(where)s has no text in its reading order.") % {"where": where})
    _unlink_missing_notes(book)
    book.sections = _pruned(book.sections)
    for _depth, section in book.walk():
        # A section's own heading (e.g. an h2 inside Pandoc's <section id=…>) is its title.
        first = section.blocks[0] if section.blocks else None
        if first and first.kind == "subtitle" and _plain(first.html) == section.title:
            section.blocks.pop(0)
    return book


def _book_of(metadata):
    """Return an empty ``Book`` with the package's title, authors, translators, language
    and year (EPUB 3 marks translators with refines, EPUB 2 with ``opf:role``)."""
    found = metadata is not None

    def meta(tag):
        return [" ".join((e.text or "").split()) for e in metadata.findall(f"{DC}{tag}")] or [""]

    roles = {}
    for refine in metadata.findall(f"{OPF}meta") if found else []:
        if refine.get("property") == "role" and refine.get("refines"):
            roles[refine.get("refines").lstrip("#")] = (refine.text or "").strip()
    creators = [
        (" ".join((c.text or "").split()), roles.get(c.get("id")) or c.get(f"{OPF}role"))
        for c in (metadata.findall(f"{DC}creator") if found else [])
    ]
    translators = [name for name, role in creators if role == "trl"]
    return Book(
        title=meta("title")[0] if found else "",
        authors=[name for name, _role in creators if name not in translators],
        translators=translators,
        language=meta("language")[0].split("-")[0] if found else "",
        year=meta("date")[0][:4] if found else "",
        source_format="epub",
    )


def _read_spine(book, archive, opf_path, package, manifest):
    """Add the sections of the spine's documents to ``book``, nested as the contents
    (navigation document or NCX) nest them."""
    targets = {}  # file → {anchor or "": (depth, title)}
    for depth, title, target in _toc(archive, opf_path, package, manifest):
        name, _hash, anchor = target.partition("#")
        targets.setdefault(name, {}).setdefault(anchor, (depth, title))
    spine = package.find(f"{OPF}spine")
    parents = []  # (depth, section)
    for itemref in spine.findall(f"{OPF}itemref") if spine is not None else []:
        item = manifest.get(itemref.get("idref"))
        if item is None or "html" not in (item.get("media-type") or ""):
            continue
        if "nav" in (item.get("properties") or "").split() or itemref.get("linear") == "no":
            continue  # the navigation document and auxiliary content are not the text
        name = _join(opf_path, item.get("href"))
        document = lxml.html.fromstring(archive.read(name))
        if not _is_front_matter(document):
            _add_document(book, parents, document, name, targets.get(name, {}))


def _add_document(book, parents, document, name, anchors):
    """Add one spine document's segments as sections under ``parents`` (updated)."""
    segments = _segments(document, set(anchors) - {""}, _file_key(name), book.notes)
    for anchor, blocks in segments:
        depth, title = anchors.get(anchor or "", (None, ""))
        if depth is None:
            if not blocks:
                continue
            if parents and anchor is None:  # untitled text continues the last section
                parents[-1][1].blocks += blocks
                continue
            heading = document.find(".//h1")
            title = " ".join(heading.text_content().split()) if heading is not None else ""
            depth = parents[-1][0] + 1 if parents else 0
        section = Section(title=title, blocks=blocks)
        while parents and parents[-1][0] >= depth:
            parents.pop()
        (parents[-1][1].children if parents else book.sections).append(section)
        parents.append((depth, section))


def _pruned(sections):
    """Drop the sections left without text or subsections (a TOC entry of a skipped page)."""
    kept = []
    for section in sections:
        section.children = _pruned(section.children)
        if section.blocks or section.children:
            kept.append(section)
    return kept


def _plain(fragment):
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split())


_NOTE_LINK = re.compile(r'<a href="#note-([^"]*)" class="noteref">(.*?)</a>')


def _unlink_missing_notes(book):
    """Links to anchors that are not notes (cross-references) keep only their text."""
    known = {html_module.escape(key) for key in book.notes}

    def keep(match):
        return match.group(0) if match.group(1) in known else match.group(2)

    for _depth, section in book.walk():
        for block in section.blocks:
            block.html = _NOTE_LINK.sub(keep, block.html)
