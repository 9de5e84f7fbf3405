"""Addresses and files of the copy: which file an address becomes, and links rewritten
so that the copy works unchanged under any domain and any sub-path."""

import html
import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

INDEX = "index.html"
SEARCH_INDEX = "search-index"  # the copy's folder of its search index
_EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/calendar": ".ics",
    "application/json": ".json",
    "text/plain": ".txt",
    "application/epub+zip": ".epub",
    "application/pdf": ".pdf",
}
# Query parameters a copy keeps (as part of a file name): a listing's page number.
KEPT_PARAMETERS = {"page"}
_UNSAFE_SEGMENT = re.compile(r"(^|/)\.\.?(/|$)|[\x00-\x1f\\]")
_TAG = re.compile(
    r"<(a|link|img|script|source|form|video|audio|iframe|area|track|embed|div|meta)\b[^>]*>",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(
    r'(?<![\w-])(href|src|srcset|action|poster|data-mirror-href|content)(\s*=\s*)"([^"]*)"',
    re.IGNORECASE,
)
_DISPOSITION = re.compile(r"filename\*=UTF-8''([^;]+)|filename=\"?([^\";]+)\"?", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:", "about:")
_IMAGE_META = re.compile(r'(?:property|name)="(?:og:image|twitter:image)(?::url)?"', re.IGNORECASE)


def kept_query(query):
    """Return the part of a query string a copy keeps (sorted), or None if the address
    has other parameters (a search, a filter: not part of the copy)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(name not in KEPT_PARAMETERS for name, _value in pairs):
        return None
    if any(not value.isdigit() for _name, value in pairs):
        return None
    return urlencode(sorted(pairs))


def file_for(path, query, content_type, download_name=""):
    """Return the copy's file for an address, relative to the copy's root ('/' between
    folders, names decoded): a folder address becomes its ``index.html`` (or
    ``index.ics``, ``index.xml`` ... by its type; a download keeps the name the site
    gives it), a listing's ``?page=2`` the file ``index.page-2.html`` beside it (a dot
    is never part of a page's slug)."""
    decoded = unquote(path)
    suffix = "." + "_".join(f"{k}-{v}" for k, v in parse_qsl(query)) if query else ""
    extension = _EXTENSIONS.get(content_type, ".html" if not content_type else ".bin")
    name = posixpath.basename(download_name.replace("\\", "/"))
    if decoded.endswith("/") and name and not name.startswith(".") and not suffix:
        return f"{decoded.lstrip('/')}{name}"
    if decoded.endswith("/"):
        return f"{decoded.lstrip('/')}index{suffix}{extension}"
    head, _, last = decoded.rpartition("/")
    if "." in last:
        if suffix:
            stem, _, ext = last.rpartition(".")
            last = f"{stem}{suffix}.{ext}"
        return f"{head}/{last}".lstrip("/")
    return f"{decoded.lstrip('/')}/index{suffix}{extension}"


def download_name(disposition):
    """Return the file name of a Content-Disposition header, or ""."""
    found = _DISPOSITION.search(disposition or "")
    if not found:
        return ""
    return unquote(found.group(1)) if found.group(1) else found.group(2)


def is_safe(path):
    """Whether an address can name a file inside the copy."""
    return path.startswith("/") and not _UNSAFE_SEGMENT.search(unquote(path))


def href_between(from_file, to_file):
    """Return the relative link from the page in ``from_file`` to ``to_file`` (a folder
    link ending in '/' for an ``index.html``), percent-encoded."""
    start = posixpath.dirname(from_file) or "."
    if posixpath.basename(to_file) == INDEX:
        target = posixpath.dirname(to_file) or "."
        relative = posixpath.relpath(target, start)
        relative = "./" if relative == "." else relative + "/"
    else:
        relative = posixpath.relpath(to_file, start)
    return quote(relative, safe="/~.-_!$&'()*+,;=:@")


class Addresses:
    """Tell the site's own addresses from others: root-relative ones, and absolute ones
    on any of ``origins`` (scheme and host, e.g. ``https://example.org``)."""

    def __init__(self, origins):
        self.hosts = {urlsplit(origin).netloc.lower() for origin in origins if origin}

    def internal(self, value, page_url):
        """Return (path, query, fragment) of a link on the page at ``page_url`` if it
        leads into the site, else None."""
        value = value.strip()
        if not value or value.startswith("#") or value.lower().startswith(_SKIPPED_SCHEMES):
            return None
        parts = urlsplit(urljoin(page_url, value))
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in self.hosts:
            return None
        path = posixpath.normpath(parts.path or "/")
        if (parts.path or "/").endswith("/") and path != "/":
            path += "/"
        return path, parts.query, parts.fragment


def rewrite_html(text, rewrite):
    """Return ``text`` with the links of its tags replaced by ``rewrite(value, tag, kind)``
    (``kind``: ``"link"``, ``"srcset"``, ``"index"`` for the search index's folder, or
    ``"image-meta"`` for a preview image); a value it returns None for stays as it was.
    The head's canonical and language-alternate links, and the tags marked
    ``data-main-site``, are left to point at the site."""

    def tag_of(match):
        tag = match.group(0)
        name = match.group(1).lower()
        if name == "link" and ("canonical" in tag or "hreflang" in tag):
            return tag
        if "data-main-site" in tag:  # a link meant for the live site (its forms)
            return tag
        if name == "meta" and not _IMAGE_META.search(tag):
            return tag

        def attribute(found):
            attribute_name = found.group(1).lower()
            value = html.unescape(found.group(3))
            if attribute_name == "content" and name != "meta":
                return found.group(0)
            if attribute_name == "srcset":
                items = []
                for item in value.split(","):
                    url, _, size = item.strip().partition(" ")
                    new = rewrite(url, name, "srcset")
                    items.append(f"{new if new is not None else url} {size}".strip())
                new_value = ", ".join(items)
            else:
                kind = {"data-mirror-href": "index", "content": "image-meta"}.get(
                    attribute_name, "link"
                )
                new_value = rewrite(value, name, kind)
                if new_value is None:
                    return found.group(0)
            return f'{found.group(1)}{found.group(2)}"{html.escape(new_value, quote=True)}"'

        return _ATTRIBUTE.sub(attribute, tag)

    return _TAG.sub(tag_of, text)


def css_urls(text):
    """Return the addresses a stylesheet refers to."""
    return [value for value in _CSS_URL.findall(text) if not value.startswith("data:")]
