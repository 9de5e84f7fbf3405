"""Turn the HTML of an old site's post into Iskra's body blocks.

Paragraphs keep only what an article's rich text allows (bold, italic, links, lists,
superscript, subscript), cleaned by ``nh3`` (the Ammonia sanitizer); images, videos,
quotes, headings, collapsible parts and attachments become blocks of their own. What
cannot be shown as it was (tables, forms, unknown embeds) is named in the item's notes.
"""

import re
from urllib.parse import unquote, urlsplit

import lxml.html
import nh3
from lxml import etree

from .archive import Block

RICH_TAGS = {"b", "i", "a", "br", "sup", "sub", "ul", "ol", "li"}
_INLINE = {
    "a", "abbr", "b", "big", "br", "cite", "code", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr", "label", "nobr",
}  # fmt: skip
_RENAME = {"strong": "b", "em": "i"}
_RENAMED = re.compile(r"<(/?)(strong|em)\b", re.I)
_EDGE_BREAKS = re.compile(r"^(?:\s|<br\s*/?>)+|(?:\s|<br\s*/?>)+$")
_BREAK = re.compile(r"\s*<br>\s*")
# Built once: ``nh3.clean`` builds its sanitizer anew on every call.
_CLEANER = nh3.Cleaner(
    tags=RICH_TAGS,
    attributes={"a": {"href"}},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    strip_comments=True,
)
_DROP = {"script", "style", "noscript", "form", "input", "button", "select", "textarea"}
_SPACES = re.compile(r"\s+")
_EMPTY_PARAGRAPH = re.compile(r"^(?:\s|<br\s*/?>|&nbsp;|\xa0)*$")


def clean_rich_text(html):
    """Return ``html`` as the rich text of a paragraph block (allowed tags only)."""
    html = _RENAMED.sub(lambda m: f"<{m.group(1)}{_RENAME[m.group(2).lower()]}", html)
    cleaned = _CLEANER.clean(html)
    cleaned = _EDGE_BREAKS.sub("", cleaned)
    return _BREAK.sub("<br/>", cleaned)


def plain(element):
    """Return the text of ``element`` with its line breaks, spaces collapsed per line."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in element.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def uploads_path(url, marker="/uploads/"):
    """Return the part of ``url`` after its uploads folder (``posts/2020-01/a.jpg``)."""
    path = unquote(urlsplit(url).path)
    if marker in path:
        return path.split(marker, 1)[1]
    return path.lstrip("/") if not urlsplit(url).netloc else ""


class BlockBuilder:
    """Collect the blocks of one post; paragraphs are flushed at each block element."""

    def __init__(self, *, image_source=uploads_path, notes=None, video_url=None):
        self.blocks = []
        self.notes = notes if notes is not None else []
        self.image_source = image_source
        self.video_url = video_url  # a function: is this URL a video Iskra can show?
        self._inline = []

    def flush(self):
        html = "".join(self._inline)
        self._inline = []
        for part in re.split(r"(?:<br\s*/?>\s*){2,}", html, flags=re.I):
            if _EMPTY_PARAGRAPH.match(part):
                continue
            cleaned = clean_rich_text(part)
            if cleaned and not _EMPTY_PARAGRAPH.match(cleaned):
                self.blocks.append(Block("paragraph", html=f"<p>{cleaned}</p>"))

    def add(self, block):
        self.flush()
        self.blocks.append(block)

    def feed(self, html):
        """Read one HTML fragment (a post body) into blocks."""
        if not html or not html.strip():
            return self
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        self._children(root)
        self.flush()
        return self

    def _text(self, text):
        if text:
            self._inline.append(_escape(text))

    def _children(self, element):
        self._text(element.text)
        for child in element:
            self._node(child)
            self._text(child.tail)

    def _node(self, node):
        if not isinstance(node.tag, str):  # comments and processing instructions
            return
        tag = node.tag.lower()
        if tag in _DROP:
            return
        handler = getattr(self, f"_tag_{tag}", None)
        if handler is not None:
            handler(node)
        elif tag in _INLINE:
            if node.find(".//img") is not None or node.find(".//iframe") is not None:
                self._children(node)  # a link around a picture: the picture is the block
                return
            self._inline.append(_outer(node))
        else:  # p, div, section, article, center, figure ... : their content, in order
            self.flush()
            self._children(node)
            self.flush()

    def _tag_img(self, node):
        source = self.image_source(node.get("src", ""))
        if source:
            self.add(Block("image", source=source, alt=(node.get("alt") or "").strip()[:300]))
        else:
            self.notes.append(f"external image left out: {node.get('src', '')[:200]}")

    def _tag_figure(self, node):
        caption = node.find(".//figcaption")
        text = plain(caption) if caption is not None else ""
        if caption is not None:
            caption.drop_tree()
        start = len(self.blocks)
        self.flush()
        self._children(node)
        self.flush()
        for block in self.blocks[start:]:
            if block.kind in ("image", "video") and text:
                block.caption = text[:300]
                break

    def _tag_iframe(self, node):
        self._embed(node.get("src") or node.get("data-src") or "")

    def _tag_video(self, node):
        source = node.get("src") or next(
            (s.get("src") for s in node.iter("source") if s.get("src")), ""
        )
        self._embed(source)

    def _embed(self, url):
        if url.startswith("//"):
            url = "https:" + url
        if self.video_url and self.video_url(url):
            self.add(Block("video", url=url))
        else:
            self.notes.append(f"embed left out: {url[:200]}")

    def _heading(self, node, level):
        text = plain(node)
        if text:
            self.add(Block("heading", text=text[:200], level=level))

    def _tag_h1(self, node):
        self._heading(node, "h2")

    _tag_h2 = _tag_h1

    def _tag_h3(self, node):
        self._heading(node, "h3")

    _tag_h4 = _tag_h5 = _tag_h6 = _tag_h3

    def _tag_blockquote(self, node):
        attribution = (node.get("data-by") or "").strip()
        cite = node.find(".//cite")
        if cite is not None and not attribution:
            attribution = plain(cite)
            cite.drop_tree()
        text = plain(node)
        if text:
            self.add(Block("quote", text=text, attribution=attribution[:200]))

    def _tag_details(self, node):
        summary = node.find("summary")
        title = plain(summary) if summary is not None else ""
        if summary is not None:
            summary.drop_tree()
        inner = BlockBuilder(
            image_source=self.image_source, notes=self.notes, video_url=self.video_url
        )
        inner._children(node)
        inner.flush()
        html = "".join(b.html for b in inner.blocks if b.kind == "paragraph")
        for block in inner.blocks:
            if block.kind != "paragraph":
                self.notes.append(f"a {block.kind} inside a collapsible part was moved after it")
        if html:
            self.add(Block("collapsible", title=(title or "…")[:200], html=html))
        self.blocks.extend(b for b in inner.blocks if b.kind != "paragraph")

    def _tag_ul(self, node):
        self.flush()
        self._inline.append(_outer(node))
        self.flush()

    _tag_ol = _tag_ul

    def _tag_table(self, node):
        self.flush()
        rows = [
            " · ".join(plain(cell) for cell in row.iter("td", "th") if plain(cell))
            for row in node.iter("tr")
        ]
        self._inline.append("<br/>".join(_escape(row) for row in rows if row))
        self.flush()
        self.notes.append("a table was kept as lines of text")

    def _tag_pre(self, node):
        self.flush()
        self._inline.append(_escape(node.text_content()).replace("\n", "<br/>"))
        self.flush()

    def _tag_hr(self, node):
        self.flush()

    def _tag_a(self, node):
        attachment = node.get("data-attachment")
        if attachment:
            self.add(Block("document", source=attachment, text=plain(node)[:200]))
        elif node.find(".//img") is not None:
            self._children(node)
        else:
            self._inline.append(_outer(node))


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _outer(node):
    tail, node.tail = node.tail, None
    html = etree.tostring(node, encoding="unicode", method="html")
    node.tail = tail
    return html


def html_blocks(html, **kwargs):
    """Return ``(blocks, notes)`` of an HTML fragment (see ``BlockBuilder``)."""
    builder = BlockBuilder(**kwargs).feed(html)
    return builder.blocks, builder.notes
