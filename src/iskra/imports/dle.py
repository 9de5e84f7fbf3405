"""Read a DataLife Engine site from its database dump and its ``uploads/`` folder.

The tables (named as DLE's installer creates them, the prefix detected): ``category``,
``post``, ``users``, ``static``, ``images``, ``files``, ``redirects``, ``comments``
(counted only). The dump is read twice: once for everything but the posts, then the
posts are streamed one by one, so a large site never sits in memory.

DLE stores a post as the HTML it shows, with its own markers around what it rendered
from BB codes (quotes, images, thumbnails, spoilers, videos, leech links, colours) and
tokens it expands at display time (``{PAGEBREAK}``, ``[attachment=ID]``, ``[hide]``).
``convert_markup`` turns each into plain HTML that ``html_blocks`` makes blocks of; no
marker or token is left for a reader to see.
"""

import base64
import binascii
import html as html_lib
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from .archive import Author, Block, Item, Section, Site, is_kazakh
from .html_blocks import html_blocks, uploads_path
from .mysqldump import DumpError, DumpReader

TABLES = ("category", "post", "users", "static", "images", "files", "redirects", "comments")
_POST_LINK = re.compile(r"(?:^|/)(?:print:)?(?:page,\d+,)?(\d+)-[^/]*\.html$")

_QUOTE = re.compile(
    r"<!--QuoteBegin(?: ([^>]+?) )?-->.*?<!--QuoteEBegin-->(.*?)<!--QuoteEnd-->.*?<!--QuoteEEnd-->",
    re.S,
)
_IMAGE = re.compile(r"<!--dle_image_begin:(.*?)-->(.*?)<!--dle_image_end-->", re.S)
_THUMB = re.compile(r"<!--(?:TBegin|MBegin):(.*?)-->(.*?)<!--(?:TEnd|MEnd)-->", re.S)
_ALT = re.compile(r'<img[^>]*\balt="([^"]*)"', re.S)
_OLD_THUMB = re.compile(r"<!--TBegin-->(.*?)<!--TEnd-->", re.S)
_MEDIA = re.compile(
    r"<!--dle_(youtube|video|media|audio|flash)_begin(?::(.*?))?-->(.*?)<!--dle_\1_end-->", re.S
)
_SPOILER = re.compile(
    r"<!--dle_spoiler(?: (.*?) )?-->.*?<!--spoiler_text-->(.*?)<!--spoiler_text_end-->"
    r".*?<!--/dle_spoiler-->",
    re.S,
)
_LEECH = re.compile(
    r'<!--dle_leech_begin--><a href="(.*?)"[^>]*>(.*?)</a><!--dle_leech_end-->', re.S
)
_SMILE = re.compile(r"<!--smile:(.*?)-->.*?<!--/smile-->", re.S)
_HIDE = re.compile(r"\[hide(?:=[^\]]*)?\](.*?)\[/hide\]", re.S | re.I)
_ATTACHMENT = re.compile(r"\[attachment=(\d+)(?::([^\]]*))?\]", re.I)
_PAGEBREAK = re.compile(r"\{PAGEBREAK\}", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TOKEN = re.compile(
    r"\[/?(?:hide|attachment|spoiler|quote|leech|media|video|youtube)[^\]]*\]|\{PAGEBREAK\}", re.I
)


class DleError(DumpError):
    """The dump is not a DataLife Engine database, or lacks what an import needs."""


def detect_prefix(names):
    """Return the table prefix (``dle``) of a dump that has ``<prefix>_post``."""
    for name in names:
        if name.endswith("_post") and f"{name[:-5]}_category" in names:
            return name[:-5]
    raise DleError(
        _(
            "The dump has no DataLife Engine tables "
            "(looked for *_post and *_category; found: %(names)s)."
        )
        % {"names": ", ".join(names[:12]) or "—"}
    )


def _media_url(kind, value, inner):
    """Return the first URL of a DLE media marker (``600,url|poster|title,...``)."""
    candidates = [value or ""]
    found = re.search(r'src="([^"]+)"', inner or "")
    if found:
        candidates.append(found.group(1))
    for candidate in candidates:
        for part in candidate.split(","):
            url = part.split("|", 1)[0].strip()
            if url.startswith(("http", "//", "/")):
                return html_lib.unescape(url)
    return ""


def _leech(match):
    href, text = match.group(1), match.group(2)
    query = parse_qs(urlsplit(html_lib.unescape(href)).query)
    encoded = (query.get("url") or [""])[0]
    try:
        target = base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        target = href
    return f'<a href="{html_lib.escape(target)}">{text}</a>'


def convert_markup(text, *, hidden, attachments):
    """Return the HTML of a DLE post with every marker and token replaced.

    ``[hide]`` text is appended to ``hidden`` (it stays off the public page);
    ``attachments`` maps DLE file ids to their names (for the link text).
    """
    text = text or ""
    text = _HIDE.sub(lambda m: hidden.append(_COMMENT.sub("", m.group(1)).strip()) or "", text)
    text = _QUOTE.sub(
        lambda m: (
            f'<blockquote data-by="{html_lib.escape(m.group(1) or "")}">{m.group(2)}</blockquote>'
        ),
        text,
    )
    text = _SPOILER.sub(
        lambda m: (
            f"<details><summary>{html_lib.escape(m.group(1) or '')}</summary>{m.group(2)}</details>"
        ),
        text,
    )

    def image(match):
        url, _align, alt = (match.group(1).split("|") + ["", ""])[:3]
        if not alt:  # the marker's own alt text, else the shown picture's
            shown = _ALT.search(match.group(2))
            alt = html_lib.unescape(shown.group(1)) if shown else ""
        return f'<img src="{html_lib.escape(url)}" alt="{html_lib.escape(alt)}">'

    text = _IMAGE.sub(image, text)
    text = _THUMB.sub(image, text)
    text = _OLD_THUMB.sub(
        lambda m: re.sub(r'.*?<a href="([^"]+)".*', r'<img src="\1">', m.group(1), flags=re.S),
        text,
    )

    def media(match):
        kind, value, inner = match.groups()
        url = _media_url(kind, value, inner)
        if kind == "audio":
            return f'<a href="{html_lib.escape(url)}">{html_lib.escape(url.rsplit("/", 1)[-1])}</a>'
        return f'<iframe src="{html_lib.escape(url)}"></iframe>'

    text = _MEDIA.sub(media, text)
    text = _LEECH.sub(_leech, text)
    text = _SMILE.sub(lambda m: "", text)
    text = _PAGEBREAK.sub("<br><br>", text)
    text = _ATTACHMENT.sub(
        lambda m: (
            f'<a data-attachment="{m.group(1)}">'
            f"{html_lib.escape(m.group(2) or attachments.get(m.group(1), m.group(1)))}</a>"
        ),
        text,
    )
    return _COMMENT.sub("", text)


def _date(value):
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _unix(value):
    try:
        number = int(value or 0)
    except ValueError:
        return None
    return datetime.fromtimestamp(number) if number else None  # noqa: DTZ006 (local time, like DLE)


def read_dle(path, *, uploads=None, language_of=None, progress=None):
    """Read the DLE dump at ``path``; return a ``Site`` whose items stream from the file.

    ``language_of`` maps category ``alt_name`` to a language code and overrides the
    letters test. Raises DumpError (with the line and table) on anything unreadable.
    """
    reader = DumpReader(path)
    prefix = detect_prefix(reader.table_names())
    name = {table: f"{prefix}_{table}" for table in TABLES}
    site = Site(source="dle", uploads=uploads)
    categories, users, static, files, images = {}, {}, [], {}, {}
    wanted = {name[t] for t in TABLES if t != "post"}
    for table, row in reader.rows(wanted):
        kind = table[len(prefix) + 1 :]
        if kind == "category":
            categories[row["id"]] = row
        elif kind == "users":
            users[row.get("name", "")] = (row.get("fullname") or "").strip()
        elif kind == "static":
            static.append(row)
        elif kind == "files":
            files[row["id"]] = row
        elif kind == "images":
            images.setdefault(row.get("news_id", "0"), []).extend(
                part for part in (row.get("images") or "").split("|||") if part
            )
        elif kind == "redirects":
            if str(row.get("enabled", "1")) != "0" and row.get("from"):
                site.redirects.append((row["from"], row.get("to", "")))
        elif kind == "comments":
            site.comments += 1
    overrides = dict(language_of or {})
    _read_categories(site, categories, overrides)
    site.feed_paths = ["/rss.xml", "/index.php?do=rss"]

    def stream():
        for _table, row in reader.rows({name["post"]}):
            yield _post(
                row,
                site=site,
                users=users,
                files=files,
                images=images,
                categories=categories,
                overrides=overrides,
            )
        for row in static:
            yield _static(row, files=files)

    site.stream = stream
    return site


def _category_chain(categories, key):
    chain, seen = [], set()
    while key and key != "0" and key in categories and key not in seen:
        seen.add(key)
        chain.append(categories[key])
        key = categories[key].get("parentid", "0")
    return list(reversed(chain))


def _read_categories(site, categories, overrides):
    for key, row in categories.items():
        chain = _category_chain(categories, key)
        path = "/" + "/".join(c.get("alt_name", "") for c in chain) + "/"
        language = overrides.get(row.get("alt_name", ""))
        title = html_lib.unescape(row.get("name", "")) or row.get("alt_name", "") or key
        section = Section(
            key=key,
            title=title,
            slug=row.get("alt_name", "") or f"category-{key}",
            description=html_lib.unescape(row.get("descr", "") or ""),
            language=language or ("kk" if is_kazakh(title) else "ru"),
            old_paths=[path, f"/index.php?do=cat&category={row.get('alt_name', '')}"],
        )
        section.is_language_fixed = language is not None
        site.sections[key] = section


def _post(row, *, site, users, files, images, categories, overrides):
    key = row["id"]
    hidden = []
    attachments = {fid: f.get("name", "") for fid, f in files.items() if f.get("news_id") == key}
    notes = []
    for field_name in ("short_story", "full_story"):
        site.hosts.update(
            h.lower()
            for h in re.findall(r"https?://([^/\"'\s]+)/uploads/", row.get(field_name) or "")
        )
    short = convert_markup(row.get("short_story", ""), hidden=hidden, attachments=attachments)
    full = convert_markup(row.get("full_story", ""), hidden=hidden, attachments=attachments)
    body_html = full if full.strip() else short
    blocks, block_notes = html_blocks(body_html, image_source=_dle_image, video_url=_video_url)
    notes += block_notes
    # The short story is the lead, unless the full story begins with it anyway.
    lead = _plain_blocks(html_blocks(short)[0]) if full.strip() else ""
    if lead and _plain_blocks(blocks).startswith(lead[:200]):
        lead = ""
    for block in blocks:
        if block.kind == "document":
            file = files.get(block.source)
            block.source = (file or {}).get("onserver", "") and f"files/{file['onserver']}"
            if not block.source:
                notes.append(f"attachment {block.title or block.text} is not in the dump")
    blocks = [b for b in blocks if b.kind != "document" or b.source]
    category_ids = [c.strip() for c in (row.get("category") or "").split(",") if c.strip()]
    first = category_ids[0] if category_ids else ""
    # The deepest category of the post is its section; the URL uses the first one.
    chains = [_category_chain(categories, c) for c in category_ids if c in categories]
    deepest = max(chains, key=len)[-1]["id"] if chains else ""
    alt = row.get("alt_name", "") or ""
    date = _date(row.get("date"))
    old_paths = [f"/{key}-{alt}.html", f"/index.php?newsid={key}"]
    if first in site.sections:
        old_paths.insert(0, site.sections[first].old_paths[0] + f"{key}-{alt}.html")
    if date:
        old_paths.append(date.strftime("/%Y/%m/%d/") + f"{alt}.html")
    title = html_lib.unescape(row.get("title", "") or "").strip() or alt or f"#{key}"
    section = site.sections.get(deepest)
    forced = section is not None and section.is_language_fixed
    text = " ".join([title, body_html])
    language = section.language if forced else ("kk" if is_kazakh(text) else "ru")
    author = (row.get("autor") or "").strip()
    if author and author not in site.authors:
        site.authors[author] = Author(key=author, name=users.get(author) or author)
    item = Item(
        kind="post",
        key=key,
        title=title[:255],
        slug=alt,
        date=date,
        is_public=str(row.get("approve", "1")) == "1",
        language=language,
        section_key=deepest,
        author_key=author,
        lead=lead,
        description=html_lib.unescape(row.get("descr", "") or "").strip(),
        blocks=blocks,
        tags=[
            t.strip() for t in html_lib.unescape(row.get("tags", "") or "").split(",") if t.strip()
        ],
        old_paths=old_paths,
        notes=notes,
        hidden=hidden,
        comment_count=int(row.get("comm_num") or 0)
        if str(row.get("comm_num", "")).isdigit()
        else 0,
    )
    # The first picture is the cover (shown above the text, so not again in it); a post
    # without one in its text takes the first of its uploaded pictures.
    first_image = next((b.source for b in blocks if b.kind == "image"), "")
    extra = parse_xfields(row.get("xfields", ""))
    # An extra field holding a picture (a "poster", an "image") is the cover when the
    # text has none; the other extra fields have no place in an article: reported.
    extra_picture = next((v for v in extra.values() if _PICTURE.search(v)), "")
    if first_image:
        item.cover, item.blocks = first_image, _drop_first_image(blocks)
    elif extra_picture:
        found = _dle_image(extra_picture)
        if "/uploads/" not in extra_picture and not found.startswith("posts/"):
            found = f"posts/{found}"  # DLE's picture fields leave out uploads/posts/
        item.cover = found
    elif images.get(key):
        item.cover = f"posts/{images[key][0]}"
    for name, value in extra.items():
        if value and value != extra_picture:
            item.notes.append(f"extra field {name} not imported: {value[:120]}")
    item.links = _internal_links(item.blocks, site.hosts)
    for tag in item.tags:
        site.tag_paths.setdefault(tag, [f"/tags/{tag}/", f"/index.php?do=tags&tag={tag}"])
    return item


def parse_xfields(text):
    r"""Return DLE's extra fields ``name|value||name|value`` as a dict (``\\|`` and ``\\``
    escape the separators inside a value, as DLE writes them)."""
    fields = {}
    for part in re.split(r"(?<!\\)\|\|", text or ""):
        name, sep, value = part.partition("|")
        if sep and name.strip():
            fields[name.strip()] = value.replace("\\|", "|").strip()
    return fields


_PICTURE = re.compile(r"\.(?:jpe?g|png|gif|webp)$", re.I)


def _drop_first_image(blocks):
    for index, block in enumerate(blocks):
        if block.kind == "image":
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _plain_blocks(blocks):
    text = " ".join(re.sub(r"<[^>]+>", " ", b.html) for b in blocks if b.kind == "paragraph")
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


def _static(row, *, files):
    hidden = []
    body = convert_markup(row.get("template", ""), hidden=hidden, attachments={})
    blocks, notes = html_blocks(body, image_source=_dle_image, video_url=_video_url)
    name = row.get("name", "") or f"page-{row['id']}"
    title = html_lib.unescape(row.get("descr", "") or "").strip() or name
    return Item(
        kind="page",
        key=row["id"],
        title=title[:255],
        slug=name,
        date=_unix(row.get("date")),
        language="kk" if is_kazakh(title + body) else "ru",
        description=html_lib.unescape(row.get("metadescr", "") or "").strip(),
        blocks=blocks,
        old_paths=[f"/{name}.html", f"/index.php?do=static&page={name}"],
        notes=notes,
        hidden=hidden,
    )


def _dle_image(url):
    """Return the uploads path of an image URL of the site (``posts/2020-01/a.jpg``)."""
    if "/uploads/" in url:
        return uploads_path(url)
    return "" if urlsplit(url).netloc else url.lstrip("/")


def _video_url(url):
    from iskra.core.video import parse_video_url

    return parse_video_url(url) is not None


def _internal_links(blocks, hosts):
    """Return {href: old post id} of the links to the site's own posts."""
    links = {}
    for block in blocks:
        if block.kind not in ("paragraph", "collapsible"):
            continue
        for href in re.findall(r'href="([^"]+)"', block.html):
            target = html_lib.unescape(href)
            parts = urlsplit(target)
            newsid = parse_qs(parts.query).get("newsid")
            if newsid and newsid[0].isdigit():
                links[href] = newsid[0]
                continue
            found = _POST_LINK.search(parts.path)
            if found and (not parts.netloc or parts.netloc.lower() in hosts):
                links[href] = found.group(1)
    return links


__all__ = ["Block", "DleError", "DumpError", "convert_markup", "read_dle"]
