"""Write the public site into a folder of static files (``iskra export-mirror``).

The site is crawled in-process from its home pages, every live page and its sitemap,
following every link, stylesheet reference and feed entry that stays on the site. Pass
one writes each answer as it came; pass two rewrites the links of every page to
relative ones (``links``). Then come the copy's own files: the front page that leads to
a language, the 404 page, the old addresses (redirect pages, an nginx ``map`` and a
``_redirects`` file) and the static search index. The copy is written into a new folder
beside the old one and the target, a symbolic link, is switched to it in one step:
readers of a served copy never see a half-written one.
"""

import logging
import os
import re
import shutil
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from iskra.search.services import write_static_index

from . import links
from .render import Renderer

logger = logging.getLogger(__name__)

SEARCH_INDEX = "search-index"
_LEFT_OUT = ("/admin/", "/django-admin/", "/_util/", "/healthz", "/static/admin/")
_REDIRECTS = (301, 302, 303, 307, 308)
_XML_LINK = (r"<loc>([^<]+)</loc>", r"<link>([^<]+)</link>", r'(?:href|url)="([^"]+)"')
_KEEP_BUILDS = 2


class MirrorError(Exception):
    """The copy cannot be written; the message says why."""


@dataclass
class MirrorReport:
    directory: str = ""
    pages: int = 0
    files: int = 0
    bytes: int = 0
    redirects: int = 0
    search_documents: int = 0
    search_shards: int = 0
    broken: list = field(default_factory=list)  # (address, status, the page linking it)
    to_origin: set = field(default_factory=set)  # site addresses the copy leaves to the site
    seconds: float = 0.0


class _Crawl:
    def __init__(self, build, *, base_url, progress):
        self.build = build
        self.base_url = base_url.rstrip("/") if base_url else ""
        self.progress = progress
        self.origin = settings.BASE_URL.rstrip("/")
        origins = [self.origin] + [site.root_url for site in Site.objects.all()]
        self.addresses = links.Addresses(origins)
        self.renderer = Renderer(self.origin)
        self.files = {}  # (path, query) -> file in the copy
        self.sources = {}  # file -> (path, query) it was rendered from
        self.redirects = {}  # (path, query) -> (path, query) the site redirects it to
        self.html = []  # files to rewrite in pass two
        self.xml = []
        self.queue = deque()
        self.seen = {("/", "")}  # the copy's own front page stands for the site's root
        self.fetched = 0
        self.report = MirrorReport()

    # Pass one: fetch and write.

    def enqueue(self, key, found_on=""):
        path, query = key
        if key in self.seen or path.startswith(_LEFT_OUT) or not links.is_safe(path):
            return
        if query and links.kept_query(query) is None:
            return
        self.seen.add(key)
        self.queue.append((key, found_on))

    def discover(self, value, page_url, kind="link"):
        if kind == "index":  # the search index is written after the crawl
            return
        found = self.addresses.internal(value, page_url)
        if found:
            path, query, _fragment = found
            kept = links.kept_query(query) if query else ""
            if kept is not None:
                self.enqueue((path, kept), page_url)

    def run(self, seeds):
        for seed in seeds:
            self.enqueue(seed)
        while self.queue:
            key, found_on = self.queue.popleft()
            self.fetch(key, found_on)
            self.fetched += 1
            if self.progress and self.fetched % 500 == 0:
                self.progress(self.fetched, len(self.seen))

    def fetch(self, key, found_on):
        path, query = key
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return self.copy_file(key, found_on)
        answer = self.renderer.get(path, query)
        if answer.status in _REDIRECTS:
            target = self.addresses.internal(answer.headers.get("location", ""), self.url(key))
            if target:
                self.redirects[key] = (target[0], links.kept_query(target[1]) or "")
                self.enqueue(self.redirects[key], self.url(key))
            return None
        if answer.status != 200:
            self.report.broken.append((self.url(key), answer.status, found_on))
            return None
        name = links.file_for(path, query, answer.content_type)
        self.write(key, name, answer.body)
        text_type = answer.content_type
        if text_type in ("text/html", "application/xhtml+xml"):
            self.report.pages += 1
            self.html.append(name)
            text = answer.body.decode("utf-8", "replace")
            page_url = self.url(key)
            links.rewrite_html(text, lambda value, _tag, kind: self.discover(value, page_url, kind))
        elif text_type.endswith("xml") or text_type == "text/plain":
            self.xml.append(name)
            self.discover_xml(answer.body.decode("utf-8", "replace"), self.url(key))
        return name

    def discover_xml(self, text, page_url):
        for pattern in _XML_LINK:
            for value in re.findall(pattern, text):
                self.discover(value.strip(), page_url)
        for value in re.findall(r"(?m)^Sitemap:\s*(\S+)", text):
            self.discover(value, page_url)

    def copy_file(self, key, found_on):
        path, _query = key
        if path.startswith(settings.STATIC_URL):
            name = unquote(path[len(settings.STATIC_URL) :])
            source = Path(staticfiles_storage.path(name))
            if not source.is_file():  # not collected (development): the app's own file
                source = Path(finders.find(name) or source)
        else:
            source = Path(settings.MEDIA_ROOT) / unquote(path[len(settings.MEDIA_URL) :])
        if not source.is_file():
            self.report.broken.append((self.url(key), 404, found_on))
            return None
        name = unquote(path).lstrip("/")
        target = self.build / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)  # the same bytes: a hard link where the disk allows
        except OSError:
            shutil.copyfile(source, target)
        self.files[key] = name
        self.sources[name] = key
        self.report.files += 1
        self.report.bytes += target.stat().st_size
        if name.endswith(".css"):
            page_url = self.url(key)
            for value in links.css_urls(source.read_text("utf-8", "replace")):
                self.discover(value, page_url)
        return name

    def write(self, key, name, body):
        target = self.build / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name not in self.sources:
            self.report.files += 1
            self.report.bytes += len(body)
        target.write_bytes(body)
        self.files[key] = name
        self.sources[name] = key

    def url(self, key):
        path, query = key
        return f"{self.origin}{path}" + (f"?{query}" if query else "")

    # Pass two: links made relative.

    def final(self, key):
        for _hop in range(10):
            if key not in self.redirects:
                break
            key = self.redirects[key]
        return key

    def link(self, value, from_file, kind, *, absolute=False):
        if kind == "index":
            return links.href_between(from_file, f"{SEARCH_INDEX}/index.html")
        found = self.addresses.internal(value, self.url(self.sources[from_file]))
        if not found:
            return None
        path, query, fragment = found
        kept = links.kept_query(query) if query else ""
        name = self.files.get(self.final((path, kept))) if kept is not None else None
        if kind == "image-meta":
            return f"{self.base_url}/{quote(name)}" if name and self.base_url else None
        suffix = f"#{fragment}" if fragment else ""
        if name is None:
            address = f"{self.origin}{path}" + (f"?{query}" if query else "")
            self.report.to_origin.add(address)
            return address + suffix
        if absolute:
            return self.public_address(name) + suffix
        return links.href_between(from_file, name) + suffix

    def public_address(self, name):
        """The address of a copy's file from the root of the host serving it."""
        if os.path.basename(name) == links.INDEX:
            name = os.path.dirname(name) + "/" if os.path.dirname(name) else ""
        return f"{self.base_url}/{quote(name)}"

    def rewrite_pages(self, *, absolute_names=()):
        for name in self.html:
            target = self.build / name
            text = target.read_text("utf-8")
            absolute = name in absolute_names
            text = links.rewrite_html(
                text,
                lambda value, _tag, kind, name=name, absolute=absolute: self.link(
                    value, name, kind, absolute=absolute
                ),
            )
            target.write_text(text, "utf-8")
        if self.base_url:
            for name in self.xml:
                target = self.build / name
                text = target.read_text("utf-8").replace(f"{self.origin}/", f"{self.base_url}/")
                target.write_text(text, "utf-8")


def _seeds():
    seeds = [(f"/{code}/", "") for code, _name in settings.LANGUAGES]
    seeds += [("/sitemap.xml", ""), ("/robots.txt", "")]
    for page in Page.objects.live().public().filter(depth__gt=1).iterator():
        url = page.get_url()
        if url and url.startswith("/"):
            seeds.append((url, ""))
    return seeds


def _front_page(crawl):
    """Write the copy's own front page, which leads to a language as ``/`` does."""
    choices = []
    for code, name in settings.LANGUAGES:
        key = crawl.final((f"/{code}/", ""))
        if key in crawl.files:
            choices.append({"code": code, "name": name, "href": f"/{code}/"})
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "publishing/mirror/front_page.html",
            {"languages": choices, "main_site_url": crawl.origin + "/"},
        )
    crawl.write(("/", ""), links.INDEX, html.encode())
    crawl.html.append(links.INDEX)
    links.rewrite_html(html, lambda value, _tag, _kind: crawl.discover(value, crawl.origin + "/"))


def _not_found_page(crawl):
    """Write ``404.html``: a static host shows it at any depth, so its links are absolute
    with ``--base-url`` and root-relative without."""
    answer = crawl.renderer.get(f"/{settings.LANGUAGE_CODE}/{'-' * 3}not-in-the-copy{'-' * 3}/")
    crawl.write(("/404.html", ""), "404.html", answer.body)
    crawl.html.append("404.html")
    return "404.html"


def _redirect_page(target_href, canonical):
    title = _("This page has moved")
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target_href}">'
        f'<link rel="canonical" href="{canonical}"><meta name="robots" content="noindex">'
        f"<title>{title}</title></head>"
        f'<body><p><a href="{target_href}">{title}</a></p></body></html>\n'
    )


def _old_addresses(crawl):
    """Write every old address that leads to a page of the copy: a redirect page where
    the address can be a file, and all of them as an nginx ``map`` and ``_redirects``."""
    entries = []
    for redirect in Redirect.objects.filter(is_permanent=True).select_related("redirect_page"):
        found = crawl.addresses.internal(redirect.link or "", crawl.origin + "/")
        if not found:
            continue
        target = crawl.final((found[0], links.kept_query(found[1]) or ""))
        if target in crawl.files:
            entries.append((redirect.old_path, target))
    entries += [
        (path + (f"?{query}" if query else ""), crawl.final((path, query)))
        for (path, query) in crawl.redirects
        if path != "/" and crawl.final((path, query)) in crawl.files
    ]
    map_lines, netlify_lines, written = [], [], set()
    for old, target in sorted(set(entries)):
        target_name = crawl.files[target]
        address = crawl.public_address(target_name)[len(crawl.base_url) :]
        path, _, query = old.partition("?")
        if query:
            netlify_lines.append(f"{quote(path)} {query.replace('&', ' ')} {address} 301")
            map_lines.append(f'    "{_nginx_escape(old)}" {address};')
            continue
        netlify_lines.append(f"{quote(path, safe='/')} {address} 301")
        map_lines.append(f'    "{_nginx_escape(path)}" {address};')
        name = links.file_for(path, "", "text/html")
        if links.is_safe(path) and name not in crawl.sources and name not in written:
            page = crawl.build / name
            page.parent.mkdir(parents=True, exist_ok=True)
            href = links.href_between(name, target_name)
            page.write_text(_redirect_page(href, crawl.origin + target[0]), "utf-8")
            written.add(name)
            crawl.report.files += 1
    (crawl.build / "_redirects").write_text("\n".join(netlify_lines) + "\n", "utf-8")
    nginx = [
        "# Old addresses of the site, for nginx: include in the http block, then in the",
        "# server: if ($iskra_old_address) { return 301 $iskra_old_address; }",
        "map $request_uri $iskra_old_address {",
        '    default "";',
        *map_lines,
        "}",
    ]
    (crawl.build / "nginx-redirects.conf").write_text("\n".join(nginx) + "\n", "utf-8")
    crawl.report.redirects = len(netlify_lines)


def _nginx_escape(value):
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _search_index(crawl):
    pages = {page.id: page for page in Page.objects.live().public().iterator()}

    def url_of(page_id, path):
        page = pages.get(page_id)
        url = page.get_url() if page else None
        found = crawl.addresses.internal(url + path, crawl.origin + "/") if url else None
        if not found:
            return None
        name = crawl.files.get(crawl.final((found[0], "")))
        if not name:
            return None
        return crawl.public_address(name)[len(crawl.base_url) + 1 :]

    report = write_static_index(crawl.build / SEARCH_INDEX, url_of=url_of)
    crawl.report.search_documents = report.documents
    crawl.report.search_shards = report.shards
    crawl.report.files += report.files
    crawl.report.bytes += report.bytes


def _builds_folder(directory):
    return directory.parent / f".{directory.name}.builds"


def _check_target(directory):
    if directory.exists() and not directory.is_symlink():
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
            return
        raise MirrorError(
            _(
                "%(path)s exists and is not a copy written by export-mirror; "
                "name a new folder, or remove it first."
            )
            % {"path": directory}
        )


def _switch(directory, build):
    """Point ``directory`` (a symbolic link) at ``build`` in one step, and remove builds
    older than the one it pointed at before (a reader may still be fetching from it)."""
    link = directory.with_name(f".{directory.name}.link-{os.getpid()}")
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(build, directory.parent), link)
    previous = directory.resolve() if directory.is_symlink() else None
    os.replace(link, directory)
    builds = _builds_folder(directory)
    kept = {build.name, previous.name if previous else ""}
    older = sorted(p for p in builds.iterdir() if p.name not in kept)
    for old in older[: max(0, len(older) - (_KEEP_BUILDS - len(kept)))]:
        shutil.rmtree(old, ignore_errors=True)


def export_mirror(directory, *, base_url=None, progress=None):
    """Write the public site as static files into ``directory`` and return a report.

    ``directory`` becomes a symbolic link to the new build, switched only once the whole
    copy is written; a failed export leaves the previous copy in place.
    """
    started = time.monotonic()
    directory = Path(directory).absolute()
    _check_target(directory)
    builds = _builds_folder(directory)
    builds.mkdir(parents=True, exist_ok=True)
    build = builds / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    build.mkdir()
    # The pages a crawl finds missing are in the report; Django's log of each is noise.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        crawl = _Crawl(build, base_url=base_url, progress=progress)
        crawl.run(_seeds())
        _front_page(crawl)
        crawl.run(())  # the front page's own files
        not_found = _not_found_page(crawl)
        crawl.rewrite_pages(absolute_names={not_found})
        _old_addresses(crawl)
        _search_index(crawl)
        _switch(directory, build)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        request_log.setLevel(level)
    crawl.report.directory = str(directory)
    crawl.report.seconds = time.monotonic() - started
    return crawl.report
