"""Build a PDF from a ``Document`` with ReportLab, embedding Roboto (Cyrillic and Kazakh).

The font comes from the ``font-roboto`` package, not from the system, so every machine
builds the same file; ReportLab embeds the used glyphs with a Unicode map, so the text
can be searched and extracted (the tests read it back with pdftotext).
"""

import io
from html import escape
from pathlib import Path

import font_roboto
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from .document import NOTE_PREFIX, note_id, xhtml_blocks

HEADING_STYLES = ("h1", "h1-1", "h1-2")

FONT = "IskraRoboto"
_FONT_FILES = {
    FONT: "Roboto-Regular.ttf",
    f"{FONT}-Bold": "Roboto-Bold.ttf",
    f"{FONT}-Italic": "Roboto-Italic.ttf",
    f"{FONT}-BoldItalic": "Roboto-BoldItalic.ttf",
}


def _register_fonts():
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(font_roboto.__file__).parent / "files"
    for name, file_name in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )


# Headings: (font size, leading, space before, space after), bold and left-aligned.
_HEADINGS = {
    "h1": (15, 20, 6, 6),
    "h2": (12, 16, 8, 4),
    "h1-1": (13, 17, 10, 6),  # nested chapters in the text
    "h1-2": (11, 15, 8, 4),
}


def _styles():
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, alignment=TA_JUSTIFY)
    styles = {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=12
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=13, leading=18, alignment=TA_CENTER
        ),
        "fact": ParagraphStyle("fact", parent=base, alignment=TA_CENTER, spaceAfter=4),
        "byline": ParagraphStyle(
            "byline", parent=base, fontName=f"{FONT}-Italic", alignment=0, spaceAfter=10
        ),
        "quote": ParagraphStyle(
            "quote", parent=base, fontName=f"{FONT}-Italic", leftIndent=12 * mm
        ),
        "item": ParagraphStyle("item", parent=base, leftIndent=6 * mm, bulletIndent=2 * mm),
        "toc": ParagraphStyle("toc", parent=base, alignment=0, leftIndent=0),
        "toc-1": ParagraphStyle("toc-1", parent=base, alignment=0, leftIndent=6 * mm),
        "toc-2": ParagraphStyle("toc-2", parent=base, alignment=0, leftIndent=12 * mm),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=11),
    }
    for name, (size, leading, before, after) in _HEADINGS.items():
        styles[name] = ParagraphStyle(
            name,
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=size,
            leading=leading,
            alignment=0,
            spaceBefore=before,
            spaceAfter=after,
        )
    return styles


def _inline(element, prefix=""):
    """Return ReportLab paragraph markup for an element's content.

    Note links point at ``#<prefix>note-…``: a note's anchor is unique to its chapter.
    """
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        inner = _inline(child, prefix)
        tag = child.tag
        if tag == "b":
            parts.append(f"<b>{inner}</b>")
        elif tag == "i":
            parts.append(f"<i>{inner}</i>")
        elif tag == "a" and child.get("href", "").startswith(NOTE_PREFIX):
            target = prefix + child.get("href")[1:]
            parts.append(f'<link href="#{escape(target)}" color="#8a0f13">{inner}</link>')
        elif tag == "a" and child.get("href"):
            parts.append(f'<link href="{escape(child.get("href"))}" color="#8a0f13">{inner}</link>')
        elif tag == "br":
            parts.append("<br/>")
        elif tag in ("sup", "sub"):
            parts.append(f"<{tag}>{inner}</{tag}>")
        else:
            parts.append(inner)
        parts.append(escape(child.tail or "", quote=False))
    return "".join(parts)


def _flowables(blocks, styles, prefix=""):
    flowables = []
    for block in blocks:
        if block.tag in ("ul", "ol"):
            for number, item in enumerate(block.iter("li"), start=1):
                bullet = "•" if block.tag == "ul" else f"{number}."
                flowables.append(
                    Paragraph(_inline(item, prefix), styles["item"], bulletText=bullet)
                )
        elif block.tag in ("h2", "h3", "h4"):
            flowables.append(Paragraph(_inline(block, prefix), styles["h2"]))
        elif block.tag == "blockquote":
            lines = block.findall("p") or [block]
            flowables += [Paragraph(_inline(line, prefix), styles["quote"]) for line in lines]
        elif block.tag == "table":
            for row in block.iter("tr"):
                cells = (_inline(cell, prefix) for cell in row if cell.tag in ("td", "th"))
                flowables.append(Paragraph(" · ".join(cells), styles["item"]))
        elif block.tag == "hr":
            flowables.append(Spacer(1, 6 * mm))
        else:
            flowables.append(Paragraph(_inline(block, prefix), styles["body"]))
        flowables.append(Spacer(1, 1.5 * mm))
    return flowables


def _notes(chapter, styles, prefix):
    flowables = [Spacer(1, 3 * mm)] if chapter.notes else []
    for key, note_html in chapter.notes:
        anchor = f'<a name="{prefix}{note_id(key)}"/>'
        blocks = xhtml_blocks(note_html)
        texts = [_inline(block, prefix) for block in blocks] or [""]
        texts[0] = anchor + texts[0]
        flowables += [Paragraph(text, styles["note"]) for text in texts]
    return flowables


class _Volume(BaseDocTemplate):
    """A document template that feeds chapter headings to the TOC and the PDF outline."""

    def afterFlowable(self, flowable):  # noqa: N802  (ReportLab's hook name)
        if isinstance(flowable, Paragraph) and flowable.style.name in HEADING_STYLES:
            level = HEADING_STYLES.index(flowable.style.name)
            text = flowable.getPlainText()
            key = f"chapter-{self.seq.nextf('chapter')}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level)
            self.notify("TOCEntry", (level, text, self.page, key))


def _number_pages(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(colors.grey)
    canvas.drawCentredString(A5[0] / 2, 10 * mm, str(doc.page))
    canvas.restoreState()


def build_pdf(document):
    """Return the PDF file of ``document`` as bytes (A5, title page, contents, chapters)."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    template = _Volume(
        buffer,
        pagesize=A5,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=document.title,
        author=", ".join(document.authors),
        subject=document.subtitle,
        lang=document.language,
        creator="Iskra",
    )
    frame = Frame(template.leftMargin, template.bottomMargin, template.width, template.height)
    template.addPageTemplates([PageTemplate("page", [frame], onPage=_number_pages)])
    story = [Spacer(1, 40 * mm), Paragraph(escape(document.title), styles["title"])]
    if document.subtitle:
        story.append(Paragraph(escape(document.subtitle), styles["subtitle"]))
    story.append(Spacer(1, 20 * mm))
    for label, value in document.title_page:
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", styles["fact"]))
    story += [PageBreak(), Paragraph(escape(document.contents_title), styles["h2"])]
    contents = TableOfContents()
    contents.levelStyles = [styles["toc"], styles["toc-1"], styles["toc-2"]]
    story += [contents]
    level = 0
    for number, chapter in enumerate(document.chapters):
        # Outline levels may only go one deeper at a time; a top-level chapter starts a page.
        level = min(chapter.depth, level + 1, len(HEADING_STYLES) - 1) if number else 0
        if level == 0:
            story.append(PageBreak())
        story.append(Paragraph(escape(chapter.title or "…"), styles[HEADING_STYLES[level]]))
        if chapter.byline:
            story.append(Paragraph(escape(chapter.byline), styles["byline"]))
        prefix = f"c{number}-"
        story += _flowables(xhtml_blocks(chapter.body_html), styles, prefix)
        story += _notes(chapter, styles, prefix)
    story.append(PageBreak())
    if document.colophon:
        story.append(Paragraph(escape(document.colophon_title), styles["h2"]))
        story += [Paragraph(escape(text), styles["body"]) for text in document.colophon]
    template.multiBuild(story)
    return buffer.getvalue()
