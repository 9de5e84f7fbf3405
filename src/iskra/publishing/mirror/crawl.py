"""The crawl that writes a copy: every address the site answers, fetched in-process,
written as a file, with the links it holds remembered (the next export uses them to
know which files a change reaches)."""

import os
import re
import shutil
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from wagtail.models import Site

from iskra.core.mirror import COPY_VARIANT_HEADER

from . import links
from .render import Renderer

LEFT_OUT = ("/admin/", "/django-admin/", "/_util/", "/healthz", "/static/admin/")
_REDIRECTS = (301, 302, 303, 307, 308)
_XML_LINK = (r"<loc>([^<]+)</loc>", r"<link>([^<]+)</link>", r'(?:href|url)="([^"]+)"')
_HTML = ("text/html", "application/xhtml+xml")


def key_text(key):
    path, query = key
    return f"{path}?{query}" if query else path


def text_key(text):
    path, _, query = text.partition("?")
    return path, query


def put(path, data):
    """Write ``data`` to ``path`` as a new file (a copy's files are hard links to the
    previous copy's: writing in place would change the copy being served)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".write-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


class Crawl:
    """Fetch addresses, write what they answer into ``build`` (pages unrewritten into
    ``scratch`` until pass two), and keep for each address a record: its file, its kind,
    the site addresses it links to, or where it redirects."""

    def __init__(self, build, scratch, *, base_url, records=None):
        self.build = Path(build)
        self.scratch = Path(scratch)
        self.base_url = base_url.rstrip("/") if base_url else ""
        self.origin = settings.BASE_URL.rstrip("/")
        origins = [self.origin] + [site.root_url for site in Site.objects.all()]
        self.addresses = links.Addresses(origins)
        self.renderer = Renderer(self.origin)
        self.records = dict(records or {})  # key text -> {"f", "k", "l", "r"}
        self.fresh = set()  # addresses fetched by this crawl
        self.queue = deque()
        self.queued = set()
        self.broken = []  # (address, status, the page linking it)
        self.to_origin = set()
        self.fetched = 0
        self.removed = 0  # files of the previous copy whose address is gone

    # Pass one.

    def enqueue(self, key, found_on="", *, again=False):
        path, query = key
        text = key_text(key)
        if text in self.queued or path.startswith(LEFT_OUT) or not links.is_safe(path):
            return
        if query and links.kept_query(query) is None:
            return
        if not again and text in self.records:
            return  # known from the previous copy and not touched by the change
        self.queued.add(text)
        self.queue.append((key, found_on))

    def internal_key(self, value, page_url):
        found = self.addresses.internal(value, page_url)
        if not found:
            return None
        path, query, _fragment = found
        kept = links.kept_query(query) if query else ""
        return None if kept is None else (path, kept)

    def run(self, progress=None):
        while self.queue:
            key, found_on = self.queue.popleft()
            self.fetch(key, found_on)
            self.fetched += 1
            if progress and self.fetched % 500 == 0:
                progress(self.fetched, self.fetched + len(self.queue))

    def fetch(self, key, found_on):
        text = key_text(key)
        self.fresh.add(text)
        path, query = key
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            self.copy_file(key, found_on)
            return
        answer = self.renderer.get(path, query)
        if answer.status in _REDIRECTS:
            target = self.internal_key(answer.headers.get("location", ""), self.url(key))
            self.records[text] = {"r": key_text(target) if target else None}
            if target:
                self.enqueue(target, self.url(key))
            return
        if answer.status != 200:
            self.drop(text, answer.status, found_on)
            return
        disposition = links.download_name(answer.headers.get("content-disposition"))
        name = links.file_for(path, query, answer.content_type, disposition)
        body = answer.body.decode("utf-8", "replace")
        if answer.content_type in _HTML:
            kind, found = "html", self.links_of_page(body, self.url(key))
        elif answer.content_type.endswith("xml") or answer.content_type == "text/plain":
            kind, found = "xml", self.links_of_xml(body, self.url(key))
        else:
            kind, found = "file", []
        if kind == "file":
            put(self.build / name, answer.body)
        elif kind == "html":
            put(self.scratch / name, with_policy(answer.body, answer.headers))
        else:
            put(self.scratch / name, answer.body)
        self.records[text] = {"f": name, "k": kind, "l": sorted(map(key_text, found))}
        if answer.headers.get(COPY_VARIANT_HEADER.lower()):
            self.records[text]["v"] = 1
        for target in found:
            self.enqueue(target, self.url(key))

    def drop(self, text, status, found_on):
        """An address answered nothing: a page of the previous copy that is gone (its
        file goes too), or a link to nothing (reported)."""
        previous = self.records.pop(text, None)
        if previous is None:
            self.broken.append((self.url(text_key(text)), status, found_on))
        elif previous.get("f") and (self.build / previous["f"]).is_file():
            (self.build / previous["f"]).unlink()
            self.removed += 1

    def links_of_page(self, text, page_url):
        found = set()

        def collect(value, _tag, kind):
            if kind != "index":  # the search index is written after the crawl
                target = self.internal_key(value, page_url)
                if target:
                    found.add(target)

        links.rewrite_html(text, collect)
        return found

    def links_of_xml(self, text, page_url):
        values = [v for pattern in _XML_LINK for v in re.findall(pattern, text)]
        values += re.findall(r"(?m)^Sitemap:\s*(\S+)", text)
        return {k for k in (self.internal_key(v.strip(), page_url) for v in values) if k}

    def copy_file(self, key, found_on):
        path, _query = key
        text = key_text(key)
        if path.startswith(settings.STATIC_URL):
            name = unquote(path[len(settings.STATIC_URL) :])
            source = Path(staticfiles_storage.path(name))
            if not source.is_file():  # not collected (development): the app's own file
                source = Path(finders.find(name) or source)
        else:
            source = Path(settings.MEDIA_ROOT) / unquote(path[len(settings.MEDIA_URL) :])
        if not source.is_file():
            self.drop(text, 404, found_on)
            return
        name = unquote(path).lstrip("/")
        target = self.build / name
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            try:
                os.link(source, target)  # the same bytes: a hard link where the disk allows
            except OSError:
                shutil.copyfile(source, target)
        found = []
        if name.endswith(".css"):
            page_url = self.url(key)
            values = links.css_urls(source.read_text("utf-8", "replace"))
            found = [k for k in (self.internal_key(v, page_url) for v in values) if k]
        self.records[text] = {"f": name, "k": "file", "l": sorted(map(key_text, found))}
        for target_key in found:
            self.enqueue(target_key, self.url(key))

    def url(self, key):
        return self.origin + key_text(key)

    # Between the passes.

    def final(self, text):
        for _hop in range(10):
            record = self.records.get(text)
            if not record or not record.get("r"):
                break
            text = record["r"]
        return text

    def file_of(self, text):
        record = self.records.get(self.final(text))
        return record.get("f") if record else None

    def reachable(self, seeds):
        """Return the addresses reachable from ``seeds`` through the records' links."""
        seen, queue = set(), deque(seeds)
        while queue:
            text = queue.popleft()
            if text in seen or text not in self.records:
                continue
            seen.add(text)
            record = self.records[text]
            queue.extend([record["r"]] if record.get("r") else record.get("l", ()))
        return seen

    # Pass two.

    def link(self, value, from_file, page_url, kind, *, absolute=False):
        if kind == "index":
            return links.href_between(from_file, f"{links.SEARCH_INDEX}/{links.INDEX}")
        found = self.addresses.internal(value, page_url)
        if not found:
            return None
        path, query, fragment = found
        kept = links.kept_query(query) if query else ""
        name = self.file_of(key_text((path, kept))) if kept is not None else None
        if kind == "image-meta":
            return f"{self.base_url}/{quote(name)}" if name and self.base_url else None
        suffix = f"#{fragment}" if fragment else ""
        if name is None:
            address = self.origin + path + (f"?{query}" if query else "")
            self.to_origin.add(address)
            return address + suffix
        if absolute:
            return self.public_address(name) + suffix
        return links.href_between(from_file, name) + suffix

    def public_address(self, name):
        """The address of a copy's file from the root of the host serving it."""
        if os.path.basename(name) == links.INDEX:
            name = os.path.dirname(name) + "/" if os.path.dirname(name) else ""
        return f"{self.base_url}/{quote(name)}"

    def finish(self, text, *, absolute=False):
        """Write the fetched page or feed of address ``text`` into the build with its
        links rewritten; return whether the file changed."""
        record = self.records[text]
        name = record["f"]
        raw = self.scratch / name
        body = raw.read_text("utf-8")
        if record["k"] == "html":
            page_url = self.origin + text
            body = links.rewrite_html(
                body,
                lambda value, _tag, kind: self.link(value, name, page_url, kind, absolute=absolute),
            )
        elif self.base_url:
            body = body.replace(f"{self.origin}/", f"{self.base_url}/")
        return write_if_changed(self.build / name, body.encode())


def with_policy(body, headers):
    """Return a page with its Content-Security-Policy header as a ``<meta>`` in its head:
    a static host sends no such header, and the page keeps its policy (frame-ancestors,
    which a ``<meta>`` cannot give, is left to the host's header)."""
    policy = headers.get("content-security-policy", "")
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    kept = "; ".join(d for d in directives if not d.startswith(("frame-ancestors", "report-")))
    if not kept:
        return body
    meta = f'<meta http-equiv="Content-Security-Policy" content="{kept}">\n'.encode()
    marker = b'<meta charset="utf-8">\n'
    if marker in body:
        return body.replace(marker, marker + meta, 1)
    return body


def write_if_changed(path, data):
    """Write ``data`` to ``path`` unless the file already holds it; return whether it
    was written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    put(path, data)
    return True
