"""WordPress post content as WordPress itself would show it, in plain HTML.

Gutenberg content (``<!-- wp:paragraph -->`` block comments) is read block by block:
embeds become iframes of their URL, file blocks become attachments, the rest keeps its
HTML. Classic-editor text gets WordPress's paragraphs (a port of ``wpautop``) and its
bare URLs on a line of their own become embeds, as WordPress's auto-embed does. The
shortcodes ``[caption]``, ``[embed]``, ``[video]``, ``[audio]`` and ``[gallery]`` are
converted; any other is reported and its inner text kept.
"""

import html as html_lib
import json
import re

_BLOCK = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*/)?([a-z][a-z0-9_-]*)\s*(\{.*?\})?\s*(/)?-->", re.S
)
_KNOWN_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "quote", "pullquote", "image", "gallery",
    "embed", "video", "audio", "file", "separator", "spacer", "columns", "column", "group",
    "html", "shortcode", "preformatted", "code", "verse", "table", "more", "nextpage",
    "buttons", "button", "cover", "media-text", "freeform", "details", "footnotes",
}  # fmt: skip
_SHORTCODE = re.compile(
    r"\[(\[?)(caption|wp_caption|embed|video|audio|gallery|playlist)\b([^\]]*?)(?:/\]|\](?:(.*?)\[/\2\])?)(\]?)",
    re.S,
)
_OTHER_SHORTCODE = re.compile(r"\[/?([a-z][a-z0-9_-]*)(?:\s[^\]]*)?\]", re.I)
_ATTRIBUTE = re.compile(r'([a-z_-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))', re.I)
_ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
    r"|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside"
    r"|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe)"
)
_EMBED_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.M)


def _attributes(text):
    return {
        m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(text or "")
    }


def _attachment_url(attachments, ident):
    return attachments.get(str(ident).strip(), "")


def shortcodes(text, *, attachments, notes):
    """Replace WordPress's media shortcodes by HTML; report and unwrap the others."""

    def replace(match):
        if match.group(1) == "[" and match.group(5) == "]":
            return match.group(0)[1:-1]  # [[gallery]] is the literal text "[gallery]"
        name, attrs, inner = match.group(2), _attributes(match.group(3)), match.group(4) or ""
        if name in ("caption", "wp_caption"):
            caption = (
                attrs.get("caption")
                or re.sub(r"^\s*(?:<a[^>]*>)?\s*<img[^>]*>\s*(?:</a>)?", "", inner).strip()
            )
            image = re.search(r"<img[^>]*>", inner)
            picture = image.group(0) if image else ""
            return f"<figure>{picture}<figcaption>{caption}</figcaption></figure>"
        if name == "embed":
            return f'<iframe src="{html_lib.escape(inner.strip())}"></iframe>'
        if name in ("video", "audio"):
            source = attrs.get("src") or next(
                (
                    attrs[k]
                    for k in ("mp4", "webm", "ogv", "mp3", "ogg", "m4a", "wav")
                    if k in attrs
                ),
                "",
            )
            source = source or inner.strip()
            if name == "video" and re.search(r"youtu|vk\.com|vkvideo|rutube", source):
                return f'<iframe src="{html_lib.escape(source)}"></iframe>'
            label = html_lib.escape(source.rsplit("/", 1)[-1])
            return f'<p><a data-attachment="{html_lib.escape(source)}">{label}</a></p>'
        if name in ("gallery", "playlist"):
            ids = [i for i in attrs.get("ids", "").split(",") if i.strip()]
            urls = [_attachment_url(attachments, i) for i in ids]
            if not ids:
                notes.append(f"[{name}] without ids: its pictures are not in the export")
            missing = [i for i, url in zip(ids, urls, strict=True) if not url]
            if missing:
                notes.append(f"[{name}] names attachments not in the export: {', '.join(missing)}")
            return "".join(f'<img src="{html_lib.escape(u)}" alt="">' for u in urls if u)
        return inner

    text = _SHORTCODE.sub(replace, text)

    def other(match):
        name = match.group(1).lower()
        if match.group(0).startswith("[/"):
            return ""
        notes.append(
            f"shortcode [{name}] is not supported: its text was kept, the shortcode dropped"
        )
        return ""

    return _OTHER_SHORTCODE.sub(other, text) if "[" in text else text


def wpautop(text, br=True):
    """Return ``text`` with paragraphs and line breaks as WordPress's ``wpautop`` makes them."""
    if not text.strip():
        return ""
    kept = {}

    def keep(match):
        key = f"<pre wp-pre-tag-{len(kept)}></pre>"
        kept[key] = match.group(0)
        return key

    text = re.sub(r"<pre[\s>].*?</pre>", keep, text + "\n", flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = re.sub(rf"(<{_ALL_BLOCKS}[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</{_ALL_BLOCKS}>)", r"\1\n\n", text, flags=re.I)
    text = re.sub(r"<hr\s*?/?>", "<hr />\n\n", text, flags=re.I)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_ALL_BLOCKS}[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(rf"(</?{_ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    if br:
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"(</?{_ALL_BLOCKS}[^>]*>)\s*<br />", r"\1", text, flags=re.I)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    for key, original in kept.items():
        text = text.replace(key, original)
    return text


def _auto_embeds(text):
    """A URL alone on its line is an embed in WordPress's classic editor."""
    return _EMBED_LINE.sub(lambda m: f'<iframe src="{html_lib.escape(m.group(1))}"></iframe>', text)


def gutenberg(text, *, attachments, notes):
    """Return the HTML of Gutenberg content with its block comments read."""
    out, position = [], 0
    for match in _BLOCK.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        closing, namespace, name, attrs_json, _self_closing = match.groups()
        full = f"{namespace or 'core/'}{name}"
        if closing:
            continue
        try:
            attrs = json.loads(attrs_json) if attrs_json else {}
        except json.JSONDecodeError:
            attrs = {}
        if namespace not in (None, "core/") or name not in _KNOWN_BLOCKS:
            notes.append(f"block {full}: kept as its HTML")
        if name == "embed" or (namespace == "core-embed/"):
            url = attrs.get("url", "")
            if url:
                out.append(f'<iframe src="{html_lib.escape(url)}"></iframe>')
                # The block's own markup repeats the URL as text: skip to its end.
                end = text.find(f"<!-- /wp:{(namespace or '') + name}", position)
                if end != -1:
                    position = text.find("-->", end) + 3
        elif name == "file" and attrs.get("href"):
            link = re.search(r"<a[^>]*>(.*?)</a>", text[position : position + 2000], re.S)
            label = (
                re.sub(r"<[^>]+>", "", link.group(1)) if link else attrs["href"].rsplit("/", 1)[-1]
            )
            out.append(f'<p><a data-attachment="{html_lib.escape(attrs["href"])}">{label}</a></p>')
            end = text.find("<!-- /wp:file", position)
            if end != -1:
                position = text.find("-->", end) + 3
        elif name in ("more", "nextpage"):
            continue
    out.append(text[position:])
    return "".join(out)


def convert_content(content, *, attachments, notes):
    """Return a post's content as plain HTML for ``html_blocks``."""
    content = content or ""
    if "<!-- wp:" in content:
        text = gutenberg(content, attachments=attachments, notes=notes)
        text = shortcodes(text, attachments=attachments, notes=notes)
        return text
    text = _auto_embeds(content)
    text = shortcodes(text, attachments=attachments, notes=notes)
    text = re.sub(r"<!--more(.*?)?-->|<!--nextpage-->", "", text)
    return wpautop(text)
