"""Read a WordPress site from its export (WXR 1.1/1.2) and its ``wp-content/uploads``.

The export is read twice with a streaming parser (``defusedxml``: no DTD entities, no
external entities, so an entity bomb or an XXE is refused): first the authors,
categories, tags and attachments (and the pages, which are few and need their parents
first), then the posts one by one. Posts and pages keep their status: only "publish"
is public; drafts, pending, private, future and password-protected ones come over as
drafts, trash not at all. Content is turned into blocks as WordPress would show it:
Gutenberg block comments read, classic text paragraphed as ``wpautop`` does, the
shortcodes ``[caption]``, ``[embed]``, ``[video]``, ``[audio]``, ``[gallery]`` converted
(others reported, their text kept).
"""

import html as html_lib
import re
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from .archive import Author, Item, Section, Site, is_kazakh
from .html_blocks import html_blocks, uploads_path
from .wordpress_markup import convert_content

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
IMPORTED_TYPES = ("post", "page")
DRAFT_STATUSES = ("draft", "pending", "private", "future", "auto-draft")


class ExportError(ValueError):
    """The file is not a readable WordPress export; the message says where and why."""


def _text(element, tag, default=""):
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else default


def _events(path):
    """Yield the elements of ``path`` as they end, refusing what WXR must not contain."""
    try:
        for _event, element in ElementTree.iterparse(str(path), events=("end",)):
            yield element
    except DefusedXmlException as error:
        raise ExportError(
            _(
                "The export declares XML entities (%(kind)s); WordPress never writes "
                "them, and they are refused for safety."
            )
            % {"kind": type(error).__name__}
        ) from error
    except ElementTree.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ExportError(
            _("The export is not well-formed XML at line %(line)s, column %(column)s: %(error)s")
            % {"line": line, "column": column, "error": error}
        ) from error


def _namespace(path):
    """Return the wp: namespace of the export at ``path`` (WXR 1.0–1.2; WordPress.com
    writes it with https)."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if not head.strip():
        raise ExportError(_("The export is empty."))
    found = re.search(rb"xmlns:wp=\"(https?://wordpress\.org/export/1\.[0-2]/)\"", head)
    if found is None:
        raise ExportError(
            _(
                "This is not a WordPress export (WXR): it has no wp: namespace of "
                "WordPress's export format."
            )
        )
    return found.group(1).decode()


def _date(item, wp):
    for tag, aware in (("post_date_gmt", True), ("post_date", False)):
        value = _text(item, f"{wp}{tag}")
        if value and not value.startswith("0000"):
            try:
                parsed = datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return parsed.replace(tzinfo=UTC) if aware else parsed
    return None


def _path(url):
    parts = urlsplit(url or "")
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def read_wordpress(path, *, uploads=None):
    """Read the WXR export at ``path``; return a ``Site`` whose items stream from it."""
    namespace = _namespace(path)
    wp = "{" + namespace + "}"
    site = Site(source="wordpress", uploads=uploads)
    attachments, pages, categories, others = {}, [], {}, {}
    language, base = "", ""
    counts = {"items": 0}
    for element in _events(path):
        tag = element.tag
        if tag == "language":
            language = (element.text or "").strip().lower()
        elif tag in (f"{wp}base_site_url", f"{wp}base_blog_url"):
            url = urlsplit((element.text or "").strip())
            base = url.path.rstrip("/")
            site.hosts.add(url.netloc.lower())
        elif tag == f"{wp}author":
            login = _text(element, f"{wp}author_login")
            name = _text(element, f"{wp}author_display_name") or login
            site.authors[login] = Author(key=login, name=name)
            site.author_paths[login] = [f"{base}/author/{login}/"]
        elif tag == f"{wp}category":
            nicename = _text(element, f"{wp}category_nicename")
            categories[nicename] = (
                _text(element, f"{wp}cat_name") or nicename,
                _text(element, f"{wp}category_parent"),
                _text(element, f"{wp}category_description"),
                _text(element, f"{wp}term_id"),
            )
        elif tag == f"{wp}tag":
            slug, name = _text(element, f"{wp}tag_slug"), _text(element, f"{wp}tag_name")
            site.tag_paths[html_lib.unescape(name or slug)] = [f"{base}/tag/{slug}/"]
        elif tag == "item":
            counts["items"] += 1
            kind = _text(element, f"{wp}post_type")
            if kind not in ("post", "page", "attachment"):
                others[kind] = others.get(kind, 0) + 1
            if kind == "attachment":
                attachments[_text(element, f"{wp}post_id")] = _text(element, f"{wp}attachment_url")
            elif kind == "page":
                pages.append(element)
                continue  # kept whole: pages are few, and read once their parents are
            element.clear()
    if counts["items"] == 0 and not site.authors and not categories:
        raise ExportError(_("The export holds no items, authors or categories."))
    _read_categories(site, categories, base)
    for kind, count in sorted(others.items()):
        site.notes.append(
            _("%(count)s items of type %(kind)s not imported (Iskra has no such content)")
            % {"count": count, "kind": kind}
        )
    default = "kk" if language.startswith("kk") else "ru"
    site.feed_paths = [f"{base}/feed/", f"{base}/feed/rss2/", f"{base}/?feed=rss2"]
    context = {
        "wp": wp,
        "excerpt": "{" + namespace + "excerpt/}encoded",
        "attachments": attachments,
        "site": site,
        "default": default,
        "base": base,
    }
    page_items = [_item(element, **context) for element in pages]

    def stream():
        for element in _events(path):
            if element.tag != "item":
                continue
            if _text(element, f"{wp}post_type") == "post":
                item = _item(element, **context)
                if item is not None:
                    yield item
            element.clear()
        yield from _parents_first([item for item in page_items if item is not None])

    site.stream = stream
    return site


def _parents_first(pages):
    by_key = {page.key: page for page in pages}

    def depth(page, seen=()):
        parent = by_key.get(page.parent_key)
        if parent is None or page.key in seen:
            return 0
        return 1 + depth(parent, (*seen, page.key))

    return sorted(pages, key=depth)


def _read_categories(site, categories, base):
    def chain(nicename, seen=()):
        _name, parent, _description, _id = categories.get(nicename, (nicename, "", "", ""))
        if parent and parent in categories and parent not in seen:
            return [*chain(parent, (*seen, nicename)), nicename]
        return [nicename]

    for nicename, (name, _parent, description, term_id) in categories.items():
        path = "/".join(chain(nicename))
        site.sections[nicename] = Section(
            key=nicename,
            title=html_lib.unescape(name),
            slug=unquote(nicename),
            description=html_lib.unescape(description),
            language="kk" if is_kazakh(name) else "ru",
            old_paths=[
                f"{base}/category/{path}/",
                f"{base}/category/{nicename}/",
                f"{base}/?cat={term_id}",
            ],
            depth=path.count("/"),
        )


def _item(element, *, wp, excerpt, attachments, site, default, base):
    kind = _text(element, f"{wp}post_type")
    key = _text(element, f"{wp}post_id")
    status = _text(element, f"{wp}status")
    title = html_lib.unescape(_text(element, "title"))
    label = f"{kind} {key} «{title[:60]}»"
    if status == "trash":
        site.notes.append(_("%(item)s: in the trash, not imported") % {"item": label})
        return None
    site.comments += len(element.findall(f"{wp}comment"))
    meta = {
        _text(m, f"{wp}meta_key"): _text(m, f"{wp}meta_value")
        for m in element.findall(f"{wp}postmeta")
    }
    notes = []
    content = element.findtext(CONTENT) or ""
    html = convert_content(content, attachments=attachments, notes=notes)
    blocks, block_notes = html_blocks(html, image_source=_image_source, video_url=_video_url)
    for block in blocks:
        if block.kind == "document":
            block.source = _image_source(block.source)
    lead = re.sub(r"<[^>]+>", " ", element.findtext(excerpt) or "")
    lead = re.sub(r"\s+", " ", html_lib.unescape(lead)).strip()
    section_keys = [
        c.get("nicename") for c in element.findall("category") if c.get("domain") == "category"
    ]
    section_keys = [k for k in section_keys if k in site.sections] or section_keys
    deepest = max(
        section_keys, key=lambda k: site.sections[k].depth if k in site.sections else 0, default=""
    )
    if deepest and deepest not in site.sections:
        site.sections[deepest] = Section(key=deepest, title=deepest, slug=unquote(deepest))
    tags = [
        html_lib.unescape(c.text or "").strip()
        for c in element.findall("category")
        if c.get("domain") == "post_tag" and (c.text or "").strip()
    ]
    for category in element.findall("category"):
        name = html_lib.unescape(category.text or "").strip()
        if category.get("domain") == "post_tag" and name:
            site.tag_paths.setdefault(name, [f"{base}/tag/{category.get('nicename')}/"])
    link = _text(element, "link")
    old_paths = [_path(link)] if link else []
    old_paths.append(f"/?p={key}" if kind == "post" else f"/?page_id={key}")
    is_public = status == "publish" and not _text(element, f"{wp}post_password")
    if status not in ("publish", *DRAFT_STATUSES):
        notes.append(f"status {status}: imported as a draft")
    if status in DRAFT_STATUSES:
        notes.append(f"status {status}: imported as a draft")
    elif status == "publish" and not is_public:
        notes.append("password-protected on the old site: imported as a draft")
    thumbnail = attachments.get(meta.get("_thumbnail_id", ""), "")
    text = " ".join([title, html])
    language = (
        "kk" if is_kazakh(text) else ("ru" if default == "ru" or _is_cyrillic(text) else default)
    )
    return Item(
        kind=kind,
        key=key,
        title=(title or _text(element, f"{wp}post_name") or f"#{key}")[:255],
        slug=unquote(_text(element, f"{wp}post_name")),
        date=_date(element, wp),
        is_public=is_public,
        language=language,
        section_key=deepest,
        parent_key=_text(element, f"{wp}post_parent") if kind == "page" else "",
        author_key=_text(element, CREATOR),
        lead=lead[:1000],
        description=meta.get("_yoast_wpseo_metadesc", "")[:1000],
        blocks=blocks,
        tags=tags,
        cover=_image_source(thumbnail) if thumbnail else "",
        old_paths=old_paths,
        notes=notes + block_notes,
        comment_count=len(element.findall(f"{wp}comment")),
    )


def _is_cyrillic(text):
    return bool(re.search("[а-яА-ЯёЁ]", text))


def _image_source(url):
    """Return the uploads path of a picture URL of the site (``2020/01/photo.jpg``)."""
    if "/wp-content/uploads/" in url:
        return uploads_path(url, "/wp-content/uploads/")
    return unquote(urlsplit(url).path).lstrip("/")


def _video_url(url):
    from iskra.core.video import parse_video_url

    return parse_video_url(url) is not None
