"""The plain document tree an old site (DLE, WordPress) is read into before it is saved.

Readers (``iskra.imports.dle``, ``iskra.imports.wordpress``) fill it from the files a
host hands over; the writer in ``iskra.news.site_import`` turns it into sections,
articles, standard pages, people, images, documents and redirects in one transaction.
Nothing here touches the database.
"""

import multiprocessing
import os
import queue
import re
import signal
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from iskra.core.parallel import frozen_heap, processes

READ_AHEAD = 100  # items sent at once by the reading process
READ_AHEAD_MESSAGES = 12  # and how many such messages it may be ahead of the importer

_KAZAKH_LETTER = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def is_kazakh(text):
    """Is ``text`` Kazakh? It has letters that Russian lacks (ә ғ қ ң ө ұ ү һ і)."""
    return _KAZAKH_LETTER.search(text) is not None


@dataclass
class Block:
    """One body block: ``kind`` is a stream block name of Iskra's articles.

    paragraph: ``html`` (rich text); heading: ``text``, ``level``; image: ``source``
    (an uploads path), ``caption``, ``alt``; quote: ``text``, ``attribution``; video:
    ``url``; collapsible: ``title``, ``html``; document: ``source``, ``text``.
    """

    kind: str
    html: str = ""
    text: str = ""
    level: str = "h2"
    source: str = ""
    caption: str = ""
    alt: str = ""
    attribution: str = ""
    url: str = ""
    title: str = ""


@dataclass
class Section:
    key: str  # the old site's id of the category
    title: str
    slug: str
    description: str = ""
    language: str = "ru"
    is_language_fixed: bool = False  # set by the importer's --language-of
    depth: int = 0  # how deep in the old site's category tree
    old_paths: list = field(default_factory=list)


@dataclass
class Author:
    key: str  # login
    name: str


@dataclass
class Item:
    """A post (an article) or a static page of the old site."""

    kind: str  # "post" or "page"
    key: str  # the old id
    title: str
    slug: str
    date: datetime | None = None
    is_public: bool = True
    language: str = "ru"
    section_key: str = ""
    parent_key: str = ""  # pages: the parent page's old id
    author_key: str = ""
    lead: str = ""
    description: str = ""
    blocks: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    cover: str = ""  # an uploads path
    old_paths: list = field(default_factory=list)  # paths (with query) that lead here
    links: dict = field(default_factory=dict)  # {href in the text: old item key}
    notes: list = field(default_factory=list)  # what the report says about this item
    hidden: list = field(default_factory=list)  # text kept off the public page
    comment_count: int = 0


@dataclass
class Site:
    """What a reader found in an old site: its sections, authors and old addresses, and a
    stream of its posts and pages (``items``), read again from the file on each call."""

    source: str  # "dle" or "wordpress"
    uploads: Path | None
    sections: dict = field(default_factory=dict)  # key → Section
    authors: dict = field(default_factory=dict)  # key → Author
    redirects: list = field(default_factory=list)  # (old path, target old path or URL)
    tag_paths: dict = field(default_factory=dict)  # tag name → old paths
    author_paths: dict = field(default_factory=dict)  # author key → old paths
    feed_paths: list = field(default_factory=list)  # old paths of the site-wide feed
    comments: int = 0
    notes: list = field(default_factory=list)
    # Called with no arguments, returns an iterator of the items (streamed from the file).
    stream: object = None
    hosts: set = field(default_factory=set)  # the old site's own host names

    def items(self):
        """Yield the site's items (posts and pages), read from the file as they come:
        by a forked process of its own where there is a processor to spare, so that
        reading and converting the next posts goes on while this one saves them."""
        if processes() < 2:
            return self.stream()
        return _read_ahead(self)

    def file(self, source):
        """Return the path of uploads file ``source`` (relative to uploads), or None."""
        if self.uploads is None or not source:
            return None
        root = self._root()
        candidate = os.path.realpath(os.path.join(root, source))
        if not candidate.startswith(root + os.sep) or not os.path.isfile(candidate):
            return None  # outside the uploads folder (../), or not there
        return Path(candidate)

    def _root(self):
        if not hasattr(self, "_uploads_root"):
            self._uploads_root = os.path.realpath(self.uploads)
        return self._uploads_root


class ReadingStopped(ValueError):
    """The process reading the old site's file ended without a word (killed)."""


def _growth(site, seen):
    """Return what the reader added to ``site``'s fields since ``seen`` (their sizes),
    and update ``seen``. While they stream, readers only add: new keys of a dict, new
    members of a set, new entries at the end of a list, a new count."""
    changes = {}
    for name, value in vars(site).items():
        if name in ("stream", "uploads", "source") or name.startswith("_"):
            continue
        if isinstance(value, dict):
            if len(value) != seen.get(name, 0):
                changes[name] = {key: value[key] for key in list(value)[seen.get(name, 0) :]}
        elif isinstance(value, set):
            if len(value) != seen.get(name, 0):
                changes[name] = set(value)
        elif isinstance(value, list):
            if len(value) != seen.get(name, 0):
                changes[name] = value[seen.get(name, 0) :]
        elif value != seen.get(name):
            changes[name] = value
        if name in changes:
            seen[name] = len(value) if isinstance(value, (dict, set, list)) else value
    return changes


def _apply(site, changes):
    for name, value in changes.items():
        current = getattr(site, name)
        if isinstance(current, dict):
            current.update(value)
        elif isinstance(current, set):
            current |= value
        elif isinstance(current, list):
            current.extend(value)
        else:
            setattr(site, name, value)


def _sizes(site):
    seen = {}
    _growth(site, seen)
    return seen


def _send_all(outbox, sending):
    """Send the messages of ``outbox`` down the pipe until None (the reader's thread)."""
    while (message := outbox.get()) is not None:
        try:
            sending.send(message)
        except BrokenPipeError:
            return  # the importer stopped listening (it failed, or was stopped)
        except Exception as failure:  # something that does not pickle: its words
            if message[0] == "error":  # the reader's own error: the items before it go
                sending.send(("error", message[1], message[2], ValueError(str(message[3]))))
            else:  # an item: reading stops here, with the reason
                sending.send(("error", [], {}, ValueError(str(failure))))
            return


def _read_ahead(site):
    """Yield ``site.stream()``'s items, read and converted in a forked process that sends
    them a hundred at a time with what reading them added to the site (authors, tags,
    host names); a reader's error is raised here, where the items stop."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    seen = _sizes(site)

    def read():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a server's handler
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        receiving.close()
        # A thread sends while this one reads on: the pipe holds only a message or two,
        # and while the importer writes a batch of pages the reader would wait on it,
        # then make the importer wait for the next posts.
        outbox = queue.Queue(maxsize=READ_AHEAD_MESSAGES)
        sender = threading.Thread(target=_send_all, args=(outbox, sending), daemon=True)
        sender.start()
        mine, batch = dict(seen), []
        try:
            for item in site.stream():
                batch.append(item)
                if len(batch) >= READ_AHEAD:
                    outbox.put(("items", batch, _growth(site, mine)))
                    batch = []
            outbox.put(("end", batch, _growth(site, mine)))
        except Exception as error:  # handed over, raised in the importing process
            outbox.put(("error", batch, _growth(site, mine), error))
        finally:
            outbox.put(None)
            sender.join()
            sending.close()

    reader = context.Process(target=read, daemon=True)
    with frozen_heap():
        reader.start()
    sending.close()
    try:
        while True:
            try:
                kind, items, changes, *error = receiving.recv()
            except EOFError:
                reader.join(timeout=10)  # its pipe closed as it died: its exit code follows
                raise ReadingStopped(
                    _("Reading the file stopped unexpectedly (exit code %(code)s).")
                    % {"code": reader.exitcode}
                ) from None
            _apply(site, changes)
            yield from items
            if kind == "error":
                raise error[0]
            if kind == "end":
                return
    finally:
        receiving.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()
