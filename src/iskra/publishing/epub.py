"""Build an EPUB 3 from a ``Document`` (checked with epubcheck in the tests).

The container is written by hand with the standard library: the EPUB layout is small
and fixed (mimetype stored first, container.xml, package document, navigation
document, one XHTML file per chapter), and every XHTML file is produced by lxml, so it
is well-formed by construction.
"""

import copy
import io
import zipfile
from datetime import UTC, datetime
from html import escape

from lxml import etree

from .document import NOTE_PREFIX, note_id, xhtml_blocks

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"

STYLE = """body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1 { font-size: 1.6em; margin: 2em 0 0.5em; text-align: center; }
h2 { font-size: 1.3em; margin: 1.5em 0 0.3em; }
h3 { font-size: 1.1em; }
p { margin: 0 0 0.6em; text-align: justify; }
.byline { font-style: italic; margin-bottom: 1.5em; }
.title-page { text-align: center; margin-top: 20%; }
.title-page .subtitle { font-size: 1.2em; }
.facts { margin-top: 3em; }
blockquote { margin: 1em 2em; font-style: italic; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
aside.footnote { font-size: 0.9em; border-top: 1px solid #999; margin-top: 1.5em; }
"""


def _page(title, language, body_elements, *, body_class=""):
    """Return the bytes of an XHTML content document."""
    nsmap = {None: XHTML, "epub": EPUB_NS}
    root = etree.Element(f"{{{XHTML}}}html", nsmap=nsmap)
    root.set("lang", language)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href="style.css")
    body = etree.SubElement(root, f"{{{XHTML}}}body")
    if body_class:
        body.set("class", body_class)
    for element in body_elements:
        body.append(_in_xhtml(element))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def _in_xhtml(element):
    """Return a copy of ``element`` (and its descendants) in the XHTML namespace."""
    element = copy.deepcopy(element)
    for node in element.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{XHTML}}}{node.tag}"
    return element


def _element(tag, text="", **attributes):
    element = etree.Element(tag, **attributes)
    element.text = text
    return element


def _title_page(document):
    elements = [_element("h1", document.title)]
    if document.subtitle:
        elements.append(_element("p", document.subtitle, **{"class": "subtitle"}))
    facts = etree.Element("div", **{"class": "facts"})
    for label, value in document.title_page:
        line = etree.SubElement(facts, "p")
        etree.SubElement(line, "b").text = f"{label}: "
        line[-1].tail = value
    elements.append(facts)
    return elements


EPUB_TYPE = f"{{{EPUB_NS}}}type"


def _chapter(chapter):
    elements = [_element("h1", chapter.title)]
    if chapter.byline:
        elements.append(_element("p", chapter.byline, **{"class": "byline"}))
    blocks = xhtml_blocks(chapter.body_html)
    for block in blocks:
        for link in block.iter("a"):
            if link.get("href", "").startswith(NOTE_PREFIX):
                link.set(EPUB_TYPE, "noteref")
    elements += blocks
    for key, note_html in chapter.notes:
        aside = etree.Element("aside", id=note_id(key), **{"class": "footnote"})
        aside.set(EPUB_TYPE, "footnote")
        for block in xhtml_blocks(note_html) or [_element("p", "")]:
            aside.append(block)
        elements.append(aside)
    return elements


def _nested_list(files, labels, depths):
    """Return the navigation entries as nested ``<ol>`` markup."""
    out, level = [], 0
    for index, (name, label, depth) in enumerate(zip(files, labels, depths, strict=True)):
        depth = min(depth, level + 1) if index else 0
        if index and depth > level:
            out.append("<ol>")
        elif index:
            out.append("</li>")
            out.append("</ol></li>" * (level - depth))
        out.append(f'<li><a href="{name}">{escape(label or "…")}</a>')
        level = depth
    if files:
        out.append("</li>" + "</ol></li>" * level)
    return "".join(out)


def _nav(document, files, labels, depths):
    items = _nested_list(files, labels, depths)
    language = escape(document.language)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="{EPUB_NS}" lang="{language}" xml:lang="{language}">'
        f'<head><meta charset="utf-8"/><title>{escape(document.title)}</title></head><body>'
        f'<nav epub:type="toc" id="toc"><h1>{escape(document.contents_title)}</h1>'
        f"<ol>{items}</ol></nav>"
        "</body></html>"
    ).encode()


def _package(document, files, modified):
    creators = "".join(
        f'<dc:creator id="creator{n}">{escape(name)}</dc:creator>'
        for n, name in enumerate(document.authors, start=1)
    )
    extra = ""
    if document.publisher:
        extra += f"<dc:publisher>{escape(document.publisher)}</dc:publisher>"
    if document.date:
        extra += f"<dc:date>{document.date.isoformat()}</dc:date>"
    if document.url:
        extra += f"<dc:source>{escape(document.url)}</dc:source>"
    manifest = "".join(
        f'<item id="item{n}" href="{name}" media-type="application/xhtml+xml"/>'
        for n, name in enumerate(files, start=1)
    )
    spine = "".join(f'<itemref idref="item{n}"/>' for n in range(1, len(files) + 1))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" '
        f'xml:lang="{escape(document.language)}">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="bookid">{escape(document.identifier)}</dc:identifier>'
        f"<dc:title>{escape(document.title)}</dc:title>"
        f"<dc:language>{escape(document.language)}</dc:language>"
        f"{creators}{extra}"
        f'<meta property="dcterms:modified">{modified}</meta>'
        "</metadata><manifest>"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="css" href="style.css" media-type="text/css"/>'
        f"{manifest}</manifest><spine>{spine}</spine></package>"
    ).encode()


CONTAINER = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    b'<rootfiles><rootfile full-path="OEBPS/content.opf" '
    b'media-type="application/oebps-package+xml"/></rootfiles></container>'
)


def build_epub(document, *, modified=None):
    """Return the EPUB 3 file of ``document`` as bytes."""
    modified = (modified or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    pages = [("title.xhtml", document.title, _title_page(document), "title-page")]
    depths = [0]
    for number, chapter in enumerate(document.chapters, start=1):
        pages.append((f"chapter-{number:03}.xhtml", chapter.title, _chapter(chapter), ""))
        depths.append(chapter.depth)
    if document.colophon:
        colophon = [_element("h1", document.colophon_title)]
        colophon += [_element("p", text) for text in document.colophon]
        pages.append(("colophon.xhtml", document.colophon_title, colophon, "colophon"))
        depths.append(0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        deflated = {"compress_type": zipfile.ZIP_DEFLATED}
        archive.writestr("META-INF/container.xml", CONTAINER, **deflated)
        archive.writestr("OEBPS/style.css", STYLE, **deflated)
        files = [name for name, *_rest in pages]
        labels = [label for _name, label, *_rest in pages]
        archive.writestr("OEBPS/nav.xhtml", _nav(document, files, labels, depths), **deflated)
        for name, title, elements, body_class in pages:
            content = _page(title, document.language, elements, body_class=body_class)
            archive.writestr(f"OEBPS/{name}", content, **deflated)
        archive.writestr("OEBPS/content.opf", _package(document, files, modified), **deflated)
    return buffer.getvalue()
