"""Read plain text and Markdown books: headings make the chapter tree, blank lines paragraphs.

Markdown headings (``#`` … ``######``) nest by level; in plain text a short line standing
alone, without a final full stop, that starts with "Глава", "Часть", "Chapter", a Roman
numeral or is written in capitals, is a heading. Footnotes written ``[^1]`` with a
``[^1]: text`` definition become notes. A paragraph of short separate lines is verse,
kept line by line.
"""

import html
import re

from django.utils.translation import gettext as _

from .book_tree import Block, Book, BookError, Section

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_NOTE_REFERENCE = re.compile(r"\[\^([^\]]+)\]")
_PLAIN_HEADING = re.compile(
    r"^(глава|часть|раздел|книга|тарау|бөлім|chapter|part|[IVXLC]+\.?\s)", re.IGNORECASE
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def _decode(data, where):
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BookError(_("%(where)s is neither UTF-8 nor windows-1251 text.") % {"where": where})


def _inline(text):
    text = html.escape(text, quote=False)
    text = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    return _NOTE_REFERENCE.sub(
        lambda m: f'<a href="#note-{html.escape(m.group(1))}" class="noteref">[{m.group(1)}]</a>',
        text,
    )


def _is_plain_heading(paragraph):
    line = paragraph.strip()
    if "\n" in line or len(line) > 90 or line.endswith((".", ",", ";", ":")):
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(_PLAIN_HEADING.match(line)) or (len(letters) > 3 and line.upper() == line)


def _is_verse(paragraph):
    """Short lines kept apart by the author are verse (or a dateline): two to forty lines,
    none over 60 characters, none after the first starting in lower case. Prose wrapped
    by an editor runs to the margin and continues its sentences in lower case."""
    lines = [line.strip() for line in paragraph.split("\n")]
    return (
        2 <= len(lines) <= 40
        and all(0 < len(line) <= 60 for line in lines)
        and not any(line[0].islower() for line in lines[1:])
    )


def read_text(data, *, where="book.txt", title=""):
    """Return the ``Book`` in a plain text or Markdown file's ``data`` (bytes)."""
    text = _decode(data, where).replace("\r\n", "\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    is_markdown = any(_MD_HEADING.match(p) for p in paragraphs)
    book = Book(title=title, authors=[], source_format="markdown" if is_markdown else "text")
    stack = []  # (level, section)
    current = Section()
    book.sections.append(current)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith("[TOC]") or paragraph == "[[TOC]]":
            continue
        is_title_line = "\n" not in paragraph and len(paragraph) <= 120
        is_heading = _MD_HEADING.match(paragraph) if is_markdown else _is_plain_heading(paragraph)
        if index == 0 and is_title_line and not is_heading:
            book.title = paragraph  # a title line above the first heading
            continue
        note = _NOTE_DEFINITION.match(paragraph)
        if note:
            book.notes[note.group(1)] = f"<p>{_inline(note.group(2))}</p>"
            continue
        heading = _MD_HEADING.match(paragraph) if is_markdown else None
        if heading or (not is_markdown and _is_plain_heading(paragraph)):
            level = len(heading.group(1)) if heading else 1
            title_text = heading.group(2) if heading else paragraph
            section = Section(title=_NOTE_REFERENCE.sub("", title_text).strip())
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else book.sections).append(section)
            stack.append((level, section))
            current = section
            continue
        if _is_verse(paragraph):
            lines = "".join(f"<p>{_inline(line.strip())}</p>" for line in paragraph.split("\n"))
            current.blocks.append(Block("poem", lines))
            continue
        current.blocks.append(Block("p", _inline(" ".join(paragraph.split()))))
    if not book.sections[0].blocks and not book.sections[0].children:
        book.sections.pop(0)
    if not any(s.blocks for _d, s in book.walk()):
        raise BookError(_("%(where)s has no text.") % {"where": where})
    if not book.title:
        first = paragraphs[0] if paragraphs else ""
        book.title = first if len(first) <= 120 else title
    return book
