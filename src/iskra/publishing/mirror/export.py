"""Write the public site into a folder of static files (``iskra export-mirror``).

The first export crawls the site in-process from its home pages, every live page and
its sitemap, following every link, stylesheet reference and feed entry that stays on the
site (``crawl``). Pass one writes each answer as it came; pass two rewrites the links of
every page to relative ones (``links``). Then come the copy's own files: the front page
that leads to a language, the 404 page, the old addresses (redirect pages, an nginx
``map`` and a ``_redirects`` file) and the static search index.

The next export starts from the previous copy (its files hard-linked into a new folder)
and its record of which address links to which: only the pages a change reaches are
rendered again (the changed pages, every page that links to them or that they link to,
the listings above them, the homes, feeds and sitemap), and only files whose bytes
differ are written. A change to what every page shows (settings, menus, footer, people)
renders every page again. Either way the copy is written into a new folder and the
target, a symbolic link, is switched to it in one step: readers of a served copy never
see a half-written one.
"""

import datetime
import gzip
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from iskra.core.contracts import pages_changed_since
from iskra.core.models import Person

from . import links
from .crawl import Crawl, key_text, text_key
from .extras import write_app_only, write_old_addresses, write_search_index

FORMAT = 3
_KEEP_BUILDS = 2
_ALWAYS = ("/sitemap.xml", "/robots.txt")
_NOT_FOUND = "/{language}/---not-in-the-copy---/"


class MirrorError(Exception):
    """The copy cannot be written; the message says why."""


@dataclass
class MirrorReport:
    directory: str = ""
    is_incremental: bool = False
    pages: int = 0  # HTML pages in the copy
    rendered: int = 0  # addresses this export asked the site for
    written: int = 0  # files this export wrote (the others are the previous copy's)
    removed: int = 0
    files: int = 0
    bytes: int = 0
    redirects: int = 0
    search_documents: int = 0
    search_shards: int = 0
    broken: list = field(default_factory=list)  # (address, status, the page linking it)
    to_origin: set = field(default_factory=set)  # site addresses the copy leaves to the site
    seconds: float = 0.0


def _live_pages():
    """Return {page id: [address, last published]} of every live public page."""
    pages = {}
    for page in Page.objects.live().public().filter(depth__gt=1).iterator():
        url = page.get_url()
        if url and url.startswith("/"):
            published = page.last_published_at.isoformat() if page.last_published_at else ""
            pages[str(page.pk)] = [url, published]
    return pages


def _twins(url):
    """An address and its Kazakh Latin twin (``/kk-latn/…`` shows ``/kk/…``)."""
    return [url, "/kk-latn/" + url[4:]] if url.startswith("/kk/") else [url]


def _fingerprint(crawl):
    """Return (a digest of what every page shows besides its own content: the chrome, as
    the 404 page of each language shows it, and the people; the default language's 404
    page, which the copy keeps as its own)."""
    digest = hashlib.sha256()
    pages = {}
    for language in [code for code, _name in settings.LANGUAGES] + ["kk-latn"]:
        pages[language] = crawl.renderer.get(_NOT_FOUND.format(language=language)).body
        digest.update(pages[language])
    for row in Person.objects.order_by("pk").values_list("pk", "name", "slug", "role", "photo"):
        digest.update(repr(row).encode())
    return digest.hexdigest(), pages.get(settings.LANGUAGE_CODE, pages[settings.LANGUAGES[0][0]])


def _roots(live):
    seeds = [f"/{code}/" for code, _name in settings.LANGUAGES] + ["/kk-latn/", *_ALWAYS]
    return seeds + [url for url, _published in live.values()]


class _Owners:
    """Which page an address belongs to: the page with the longest address it begins
    with (``/ru/news/tag/x/`` belongs to the section ``/ru/news/``)."""

    def __init__(self, urls):
        self.urls = set(urls)

    def of(self, path):
        while path:
            if path in self.urls:
                return path
            path = path[: path.rstrip("/").rfind("/") + 1] if path != "/" else ""
        return None


def _urls_of(pages, live, before):
    urls = set()
    for pk in pages:
        for entry in (live.get(pk), before.get(pk)):
            if entry:
                urls.update(_twins(entry[0]))
    return urls


def _dirty(state, live):
    """Return (the addresses of the previous copy that a change since it reaches, the
    ids of the pages changed, the addresses of the pages published, moved or removed).

    A page published, unpublished, moved or deleted reaches its own addresses, every
    page linking to it or that it linked to, and the listings above it on all their
    pages (one more article moves them all). A page named by a change source (its
    related list re-ranked) reaches only its own addresses."""
    before = state["pages"]
    published = {pk for pk in live.keys() | before.keys() if live.get(pk) != before.get(pk)}
    since = datetime.datetime.fromisoformat(state["exported_at"])
    restored = {str(pk) for pk in pages_changed_since(since)} - published
    urls = _urls_of(published, live, before)
    everything = [u for entry in [*live.values(), *before.values()] for u in _twins(entry[0])]
    owners = _Owners(everything)
    above = set()  # the listings a changed page stands in (not their other routes)
    for url in urls:
        parent = owners.of(url[: url.rstrip("/").rfind("/") + 1])
        while parent:
            above.add(parent)
            parent = owners.of(parent[: parent.rstrip("/").rfind("/") + 1])
    records = state["addresses"]
    owned = {text: owners.of(text_key(text)[0]) for text in records}
    touched = {text for text, owner in owned.items() if owner in urls}
    dirty = touched | {text for text in records if text_key(text)[0] in above}
    for text, record in records.items():
        if any(owned.get(target) in urls for target in record.get("l", ())):
            dirty.add(text)
    # A listing that changed changes on all its pages.
    paths = {text_key(text)[0] for text in dirty}
    dirty.update(text for text in records if "?" in text and text_key(text)[0] in paths)
    for text in touched:  # what a changed page linked to: its neighbours, tags, events
        dirty.update(t for t in records[text].get("l", ()) if records.get(t, {}).get("k") == "html")
    restored_urls = _urls_of(restored, live, before)
    dirty.update(text for text, owner in owned.items() if owner in restored_urls)
    dirty.update(text for text in records if text.startswith("/feeds/"))
    new = {url for url in urls if owners.of(url) == url}
    return dirty | set(_ALWAYS) | new, published | restored, urls


def _follow_new_links(crawl, urls):
    """Render again what the changed pages link to now (a new article's tags, section,
    events), on all their pages: the previous copy could not know those links."""
    targets = {
        target
        for text in crawl.fresh
        if text in urls
        for target in crawl.records.get(text, {}).get("l", ())
        if crawl.records.get(target, {}).get("k") == "html" and target not in crawl.fresh
    }
    paths = {text_key(text)[0] for text in targets}
    targets |= {
        text
        for text in crawl.records
        if "?" in text and text_key(text)[0] in paths and text not in crawl.fresh
    }
    for text in sorted(targets):
        crawl.enqueue(text_key(text), again=True)
    crawl.run()


def _front_page(crawl):
    """Write the copy's own front page, which leads to a language as ``/`` does."""
    choices = []
    for code, name in settings.LANGUAGES:
        if crawl.file_of(f"/{code}/"):
            choices.append({"code": code, "name": name, "href": f"/{code}/"})
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "publishing/mirror/front_page.html",
            {"languages": choices, "main_site_url": crawl.origin + "/"},
        )
    _page(crawl, "/", links.INDEX, html.encode())


def _not_found_page(crawl, body):
    """Keep the 404 page: a static host shows it at any depth, so pass two makes its
    links absolute (with ``--base-url``) or root-relative."""
    _page(crawl, "/404.html", "404.html", body)


def _page(crawl, text, name, body):
    crawl.scratch.joinpath(name).write_bytes(body)
    found = crawl.links_of_page(body.decode(), crawl.origin + text)
    crawl.records[text] = {"f": name, "k": "html", "l": sorted(map(key_text, found))}
    crawl.fresh.add(text)
    for key in found:
        crawl.enqueue(key)


def _prune(crawl, keep, report):
    """Forget the addresses no longer reachable, and delete their files."""
    used = {crawl.records[t].get("f") for t in keep if crawl.records[t].get("f")}
    for text in list(crawl.records):
        if text in keep:
            continue
        name = crawl.records.pop(text).get("f")
        if name and name not in used:
            (crawl.build / name).unlink(missing_ok=True)
            report.removed += 1


def _link_tree(source, target):
    """Make ``target`` a copy of ``source`` whose files are hard links (no bytes copied)."""
    for folder, _folders, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(Path(folder) / name, target / relative / name)
            except OSError:
                shutil.copy2(Path(folder) / name, target / relative / name)


def _state_path(build):
    return build.with_name(build.name + ".state.json.gz")


def _load_state(previous, *, origin, base_url):
    try:
        with gzip.open(_state_path(previous), "rt", encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        return None
    if (state.get("format"), state.get("origin"), state.get("base_url")) != (
        FORMAT,
        origin,
        base_url or "",
    ):
        return None
    return state


def _save_state(build, state):
    data = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()  # C encoder
    with gzip.open(_state_path(build), "wb", compresslevel=3) as handle:
        handle.write(data)


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
    kept = {build.name, previous.name if previous else ""}
    older = sorted(
        p for p in _builds_folder(directory).iterdir() if p.is_dir() and p.name not in kept
    )
    for old in older[: max(0, len(older) - (_KEEP_BUILDS - len(kept)))]:
        shutil.rmtree(old, ignore_errors=True)
        _state_path(old).unlink(missing_ok=True)


def export_mirror(directory, *, base_url=None, full=False, progress=None):
    """Write the public site as static files into ``directory`` and return a report.

    Starts from the previous copy there when it was made for the same site and address
    (``full`` renders everything anyway). ``directory`` becomes a symbolic link to the
    new build, switched only once the whole copy is written; a failed export leaves the
    previous copy in place.
    """
    started = time.monotonic()
    directory = Path(directory).absolute()
    _check_target(directory)
    builds = _builds_folder(directory)
    builds.mkdir(parents=True, exist_ok=True)
    previous = directory.resolve() if directory.is_symlink() else None
    origin = settings.BASE_URL.rstrip("/")
    state = None
    if previous and previous.is_dir() and not full:
        state = _load_state(previous, origin=origin, base_url=base_url)
    build = builds / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    scratch = Path(tempfile.mkdtemp(dir=builds, prefix=".scratch-"))
    # The pages a crawl finds missing are in the report; Django's log of each is noise.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        if state:
            _link_tree(previous, build)
        else:
            build.mkdir()
        report = _export(build, scratch, state, base_url=base_url, progress=progress)
        _switch(directory, build)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    finally:
        request_log.setLevel(level)
        shutil.rmtree(scratch, ignore_errors=True)
    report.directory = str(directory)
    report.seconds = time.monotonic() - started
    return report


def _export(build, scratch, state, *, base_url, progress):
    report = MirrorReport(is_incremental=bool(state))
    exported_at = timezone.now()  # changes from now on are the next export's
    crawl = Crawl(build, scratch, base_url=base_url, records=state and state["addresses"])
    live = _live_pages()
    fingerprint, not_found = _fingerprint(crawl)
    changed = None  # the pages whose search entries may have changed; None: all
    if state and state["fingerprint"] == fingerprint:
        seeds, changed, urls = _dirty(state, live)
    else:
        seeds, urls = set(crawl.records) | set(_roots(live)), set()
    for text in sorted(seeds):
        crawl.enqueue(text_key(text), again=True)
    crawl.run(progress)
    _follow_new_links(crawl, urls)
    _front_page(crawl)
    _not_found_page(crawl, not_found)
    crawl.run(progress)  # the files those two use
    keep = crawl.reachable(["/", "/404.html", *_roots(live)])
    _prune(crawl, keep, report)
    for text in sorted(crawl.fresh & keep):
        if crawl.records[text].get("k") in ("html", "xml"):
            report.written += crawl.finish(text, absolute=text == "/404.html")
        elif crawl.records[text].get("f"):
            report.written += 1
    write_app_only(crawl)
    redirect_files = write_old_addresses(crawl, state.get("redirect_files", []) if state else [])
    search_cache = write_search_index(
        crawl, state.get("search") if state else None, report, live, changed
    )
    report.rendered = len(crawl.fresh)
    report.removed += crawl.removed
    report.broken, report.to_origin = crawl.broken, crawl.to_origin
    report.redirects = len(redirect_files["lines"])
    for record in crawl.records.values():
        report.pages += record.get("k") == "html"
    for path in build.rglob("*"):
        if path.is_file():
            report.files += 1
            report.bytes += path.stat().st_size
    _save_state(
        build,
        {
            "format": FORMAT,
            "origin": crawl.origin,
            "base_url": base_url or "",
            "fingerprint": fingerprint,
            "exported_at": exported_at.isoformat(),
            "pages": live,
            "addresses": crawl.records,
            "redirect_files": redirect_files["files"],
            "search": search_cache,
        },
    )
    return report
