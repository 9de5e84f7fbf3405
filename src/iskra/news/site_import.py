"""Save an old site (read by ``iskra.imports.dle`` or ``iskra.imports.wordpress``) as
sections, articles, standard pages, people, images and documents, with a redirect for
every old address.

One transaction: on any error nothing is saved and the files written are removed.
What was imported is recorded (``ImportedItem``, keyed on the old id), so importing the
same export again updates in place: an unchanged post is left alone, a changed one gets
a new revision, nothing is created twice. New pages are written in bulk
(``iskra.core.page_tree.add_children``) and indexed for search a batch at a time as they
are written (``iskra.search.services.bulk_indexing``); at the end they get their related
lists in bulk too.
"""

import contextlib
import ctypes
import gc
import hashlib
import html as html_lib
import json
import re
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from anyascii import anyascii
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from iskra.core.bulk import insert_rows
from iskra.core.models import HomePage, Person, StandardPage
from iskra.core.models.pages import DESCRIPTION_CHARACTERS
from iskra.core.page_cache import bump_generation_on_commit
from iskra.core.page_tree import add_children
from iskra.core.parallel import processes
from iskra.imports import legacy
from iskra.imports.media import MediaStore, queue_admin_search
from iskra.imports.models import ImportedItem, SiteImport
from iskra.search import services as search

from .models import ArticleAuthor, ArticlePage, ArticleTag, SectionPage
from .services import store_related_many

BATCH = 500


@dataclass
class MigrationReport:
    """What an import did (or, with ``dry_run``, would do), for the command and the admin."""

    source: str
    dry_run: bool = False
    created: dict = field(default_factory=dict)
    updated: int = 0
    unchanged: int = 0
    drafts: int = 0
    skipped: list = field(default_factory=list)  # (item, reason)
    notes: dict = field(default_factory=dict)  # item → [what was left as it was]
    hidden: list = field(default_factory=list)  # (item, text kept off the public page)
    missing_files: list = field(default_factory=list)  # (item, uploads path)
    comments: int = 0
    redirects: int = 0
    seconds: dict = field(default_factory=dict)  # phase → wall time
    peak_mb: int = 0  # the importing process's largest resident memory
    worker_peak_mb: int = 0  # the largest of its worker processes' (iskra.core.parallel)
    peaks: dict = field(default_factory=dict)  # phase → the largest resident memory by its end

    def count(self, what, number=1):
        self.created[what] = self.created.get(what, 0) + number

    def note(self, item, text):
        self.notes.setdefault(item, []).append(text)

    def summary(self):
        """Return the report's headline lines (translated)."""
        c = self.created
        lines = [
            _("Articles created: %(n)s") % {"n": c.get("articles", 0)},
            _("Pages created: %(n)s") % {"n": c.get("pages", 0)},
            _("Sections created: %(n)s") % {"n": c.get("sections", 0)},
            _("People created: %(n)s") % {"n": c.get("people", 0)},
            _("Images imported: %(n)s") % {"n": c.get("images", 0)},
            _("Documents imported: %(n)s") % {"n": c.get("documents", 0)},
            _("Updated (changed since the last import): %(n)s") % {"n": self.updated},
            _("Unchanged since the last import: %(n)s") % {"n": self.unchanged},
            _("Drafts (not approved or not published on the old site): %(n)s") % {"n": self.drafts},
            _("Old addresses redirected: %(n)s") % {"n": self.redirects},
            _("Comments counted, not imported (Iskra has no comments): %(n)s")
            % {"n": self.comments},
            _("Files missing from the uploads folder: %(n)s") % {"n": len(self.missing_files)},
            _("Hidden texts kept off the public pages: %(n)s") % {"n": len(self.hidden)},
            _("Skipped: %(n)s") % {"n": len(self.skipped)},
        ]
        if self.seconds:
            lines.append(
                _("Time: %(phases)s; peak memory %(peak)s MB")
                % {
                    "phases": ", ".join(
                        f"{k} {v:.1f} s" + (f" (≤{self.peaks[k]} MB)" if k in self.peaks else "")
                        for k, v in self.seconds.items()
                    ),
                    "peak": self.peak_mb,
                }
            )
        if self.worker_peak_mb:
            lines.append(
                _(
                    "Largest worker process: %(peak)s MB of memory "
                    "(the pages it shares with the importing process counted in)"
                )
                % {"peak": self.worker_peak_mb}
            )
        if self.dry_run:
            lines.insert(0, _("Dry run: nothing was saved."))
        return lines

    def details(self):
        """Return the per-item lines: skipped, hidden texts, missing files, markup notes."""
        lines = [
            _("Skipped %(item)s: %(reason)s") % {"item": i, "reason": r} for i, r in self.skipped
        ]
        lines += [
            _("Hidden text in %(item)s: %(text)s") % {"item": i, "text": t[:200]}
            for i, t in self.hidden
        ]
        lines += [
            _("Missing file in %(item)s: %(path)s") % {"item": i, "path": p}
            for i, p in self.missing_files
        ]
        for item, notes in self.notes.items():
            lines += [_("%(item)s: %(note)s") % {"item": item, "note": note} for note in notes]
        return lines

    def as_dict(self):
        return {"summary": self.summary(), "details": self.details()}


def _digest(item):
    data = [
        item.title,
        item.slug,
        str(item.date),
        item.is_public,
        item.lead,
        item.description,
        item.section_key,
        item.parent_key,
        item.author_key,
        item.tags,
        item.cover,
        [vars(b) for b in item.blocks],
    ]
    return hashlib.blake2b(json.dumps(data, default=str).encode(), digest_size=16).hexdigest()


def _tag_key(name):
    """A tag name as tags are told apart: trimmed to taggit's 100 letters, any case."""
    return name.strip()[:100].lower()


def _slug(text, fallback):
    slug = slugify(anyascii(text or ""))[:80].strip("-")
    return slug or fallback


def _opening(item):
    """The first words of ``item``'s text, for its link preview when the old site gave no
    description and no lead."""
    if item.lead:
        return ""
    text = " ".join(
        re.sub(r"<[^>]+>", " ", block.html) for block in item.blocks if block.kind == "paragraph"
    )
    text = re.sub(r"\s+", " ", html_lib.unescape(text)).strip()
    if len(text) <= DESCRIPTION_CHARACTERS:
        return text
    return text[:DESCRIPTION_CHARACTERS].rsplit(" ", 1)[0] + "…"


def _aware(value):
    if value is None:
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value)  # the old site's dates are local time
    return value


class _Known:
    """What an import remembers of an item it created (an ``ImportedItem`` row as far as
    the import reads it, in a fraction of a model instance's memory)."""

    __slots__ = ("digest", "page_id", "pk")

    def __init__(self, page_id, digest):
        self.page_id, self.digest, self.pk = page_id, digest, None


class SiteImporter:
    """One import of one old site into the page tree; see ``import_site``."""

    def __init__(self, site, *, progress=None, dry_run=False):
        self.site = site
        self.progress = progress
        self.dry_run = dry_run
        self.report = MigrationReport(source=site.source, dry_run=dry_run, comments=site.comments)
        self.media = MediaStore(site, self.report)
        self.homes = {}
        self.sections = {}  # (section key, language) → SectionPage
        self.people = {}  # (author key, language) → Person
        self.known = {}  # (container, old id) → ImportedItem
        self.pages = {}  # (kind, old id) → page id, for links and redirects
        self.pending = {}  # parent id → [(page, item, digest)]
        self.fixups = []  # (page id, item): links to items imported later
        self.slugs = {}  # parent id → set of child slugs
        self.new_ids = []  # the live pages created (searched, ranked)
        self.created_ids = []  # every page created (drafts too: editors search them)
        self.old_paths = {}  # (kind, old id) → old paths
        self.path_index = {}  # normalised old path → (kind, old id)
        self.tag_sections = {}  # tag name (lower case) → the section most of its posts are in
        self._tag_counts = Counter()
        self.tag_cache = None  # lower-case name → Tag, once read
        self.index = None  # the search's bulk index while pages are written

    # -- the tree ---------------------------------------------------------------

    def home(self, language):
        if language not in self.homes:
            home = HomePage.objects.filter(locale__language_code=language).first()
            if home is None:
                raise legacy.ImportFailed(
                    _(
                        "There is no home page for the language %(language)s; "
                        "run `iskra demo` or create one first."
                    )
                    % {"language": language}
                )
            self.homes[language] = home
        return self.homes[language]

    def child_slug(self, parent, base):
        taken = self.slugs.get(parent.pk)
        if taken is None:
            taken = self.slugs[parent.pk] = set(
                Page.objects.filter(
                    path__startswith=parent.path, depth=parent.depth + 1
                ).values_list("slug", flat=True)
            )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        return slug

    def section(self, key, language):
        if (key, language) in self.sections:
            return self.sections[(key, language)]
        found = self.site.sections.get(key)
        container = f"section-{language}"
        record = self.known_item(container, key)
        page = SectionPage.objects.filter(pk=record.page_id).first() if record else None
        home = self.home(language)
        if page is None and found is not None:
            slug = _slug(found.slug, f"section-{key}")
            page = SectionPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            title = found.title if found else _("Archive")
            slug = self.child_slug(
                home, _slug(found.slug if found else "archive", f"section-{key}")
            )
            intro = (found.description if found else "")[:2000]
            page = SectionPage(title=title[:255], slug=slug, intro=intro, locale=home.locale)
            home.add_child(instance=page)
            page.save_revision().publish()
            self.report.count("sections")
            home.refresh_from_db()
        if record is None:
            self.remember(container, key, page)
        self.sections[(key, language)] = page
        return page

    def person(self, key, language):
        if not key:
            return None
        if (key, language) not in self.people:
            author = self.site.authors.get(key)
            name = (author.name if author else key)[:200]
            locale = self.home(language).locale
            slug = _slug(name, "author")
            person = Person.objects.filter(locale=locale, slug=slug).first()
            if person is None:
                person = Person.objects.create(name=name, slug=slug, locale=locale)
                self.report.count("people")
            self.people[(key, language)] = person
        return self.people[(key, language)]

    # -- records of what was imported ----------------------------------------------

    def load_known(self):
        for record in ImportedItem.objects.filter(source=self.site.source):
            self.known[(record.container, record.item)] = record
            if record.page_id and record.container in ("post", "page"):
                self.pages[(record.container, record.item)] = record.page_id

    def known_item(self, container, key):
        return self.known.get((container, str(key)))

    def remember(self, container, key, page, digest=""):
        # The page's id only: a record holding the page would keep every imported page
        # (its body, its revision) in memory until the import ends.
        item = str(key)[:255]
        self.known[(container, str(key))] = _Known(page.pk, digest)
        self.new_records.append((self.site.source, container, item, page.pk, None, digest))

    # -- items -------------------------------------------------------------------

    def run(self):
        self.new_records = []
        self.load_known()
        clock = time.perf_counter()
        done = 0
        # New public pages are indexed for search a batch at a time as they are written
        # (``flush``), from the pages still in memory; their texts are analysed in a
        # worker process meanwhile (one: the file's reader has a processor too, and
        # each worker holds its own word caches).
        with search.bulk_indexing(workers=max(1, processes() - 1)) as self.index:
            for item in self.site.items():
                self.item(item)
                done += 1
                if sum(len(batch) for batch in self.pending.values()) >= BATCH:
                    self.flush()
                if self.progress and done % 1000 == 0:
                    self.progress(done)
            self.flush()
            if self.progress:
                self.progress(done)
            self.fix_links()
            self.report.seconds["pages"], clock = time.perf_counter() - clock, time.perf_counter()
            self.report.peaks["pages"] = peak_memory_mb()
        self.index = None
        release_memory()
        # What was left of the analysis, and the term counts.
        self.report.seconds["search"], clock = time.perf_counter() - clock, time.perf_counter()
        self.report.peaks["search"] = peak_memory_mb()
        for (name, section_id), _count in sorted(self._tag_counts.items(), key=lambda kv: kv[1]):
            self.tag_sections[name] = section_id  # the last, most used, wins
        insert_rows(
            ImportedItem,
            ("source", "container", "item", "page", "object_id", "digest"),
            self.new_records + self.media.records,
        )
        self.report.redirects = legacy.store_redirects(self.redirects())
        self.report.seconds["redirects"], clock = time.perf_counter() - clock, time.perf_counter()
        self.report.peaks["redirects"] = peak_memory_mb()
        release_memory()
        self.relate_new()
        self.report.skipped += [("—", note) for note in self.site.notes]
        self.report.comments = self.site.comments
        bump_generation_on_commit()
        return self.report

    def label(self, item):
        return f"{item.kind} {item.key} «{item.title[:60]}»"

    def item(self, item):
        label = self.label(item)
        for text in item.hidden:
            self.report.hidden.append((label, text))
        for note in item.notes:
            self.report.note(label, note)
        digest = _digest(item)
        self.old_paths[(item.kind, item.key)] = item.old_paths
        for path in item.old_paths:
            self.path_index[legacy.normalise(path)] = (item.kind, item.key)
        record = self.known_item(item.kind, item.key)
        if record is not None and record.page_id:
            if record.digest == digest:
                self.report.unchanged += 1
                return
            self.update(record, item, digest)
            return
        if not item.title.strip():
            self.report.skipped.append((label, _("no title")))
            return
        parent = self.parent_of(item)
        page = self.build(item, parent, media=False)  # its pictures come at flush()
        if not item.is_public:
            self.report.drafts += 1
        # Links to posts not imported yet are rewritten once they are (fix_links).
        later = self.links_later(item)
        self.pending.setdefault(parent.pk, []).append((page, item, digest, later))

    def parent_of(self, item):
        if item.kind == "post":
            return self.section(item.section_key, item.language)
        if item.parent_key and item.parent_key != "0":
            if ("page", item.parent_key) not in self.pages:
                self.flush()  # the parent may be waiting in the batch: it must exist first
            parent_id = self.pages.get(("page", item.parent_key))
            parent = Page.objects.filter(pk=parent_id).first() if parent_id else None
            if parent is not None and isinstance(parent.specific, StandardPage):
                return parent.specific
        return self.home(item.language)

    def build(self, item, parent, *, media=True):
        """Return the unsaved page of ``item`` under ``parent``; with ``media=False`` its
        body and cover are left for ``add_media`` (pictures are stored a batch at once)."""
        base = _slug(item.slug, f"{item.kind}-{item.key}")
        slug = self.child_slug(parent, base)
        common = {
            "title": item.title[:255],
            "slug": slug,
            "locale": parent.locale,  # the parent's, read once: the search index asks
            "live": item.is_public,
            "search_description": (item.description or _opening(item))[:1000],
        }
        body = self.body(item) if media else []
        if item.kind == "post":
            date = _aware(item.date) or timezone.now()
            page = ArticlePage(
                **common,
                section=parent,  # kept by ArticlePage.save(), which bulk adding skips
                date=date,
                first_published_at=date,
                lead=item.lead,
                body=body,
                is_crossposted=False,
            )
            if media:
                page.cover_image_id = self.cover(item)
            person = self.person(item.author_key, item.language)
            if person:
                page.article_authors = [ArticleAuthor(person=person, sort_order=0)]
            if item.tags:
                page.tagged_items = [ArticleTag(tag=tag) for tag in self.tags_named(item.tags)]
        else:
            page = StandardPage(
                **common, first_published_at=_aware(item.date), lead=item.lead, body=body
            )
        return page

    def cover(self, item):
        if not item.cover:
            return None
        return self.media.image(item.cover, label=self.label(item), title=item.title)

    def add_media(self, batch):
        """Store the pictures of a batch's ``[(page, item)]`` together, then give each
        page its body and cover."""
        wanted = []
        for _page, item in batch:
            label = self.label(item)
            if item.cover:
                wanted.append((item.cover, label, item.title))
            wanted += [
                (block.source, label, block.alt or block.caption)
                for block in item.blocks
                if block.kind == "image"
            ]
        self.media.store_images(wanted)
        for page, item in batch:
            page.body = self.body(item)
            if isinstance(page, ArticlePage):
                page.cover_image_id = self.cover(item)

    def body(self, item):
        """Return the StreamField data of ``item``'s blocks (files stored, links rewritten)."""
        stream = []
        for block in item.blocks:
            value = self.block_value(block, item)
            if value is not None:
                stream.append(value)
        return stream

    def block_value(self, block, item):
        label = self.label(item)
        if block.kind == "paragraph":
            return {"type": "paragraph", "value": self.links(block.html, item)}
        if block.kind == "heading":
            return {"type": "heading", "value": {"text": block.text, "level": block.level}}
        if block.kind == "quote":
            return {
                "type": "quote",
                "value": {"text": block.text, "attribution": block.attribution},
            }
        if block.kind == "video":
            return {
                "type": "video",
                "value": {"url": block.url, "title": "", "caption": block.caption},
            }
        if block.kind == "collapsible":
            return {
                "type": "collapsible",
                "value": {"title": block.title, "text": self.links(block.html, item)},
            }
        if block.kind == "image":
            image_id = self.media.image(block.source, label=label, title=block.alt or block.caption)
            if image_id is None:
                return None
            return {
                "type": "image",
                "value": {"image": image_id, "caption": block.caption, "credit": ""},
            }
        if block.kind == "document":
            document_id = self.media.document(block.source, label=label, title=block.text)
            if document_id is None:
                return None
            return {"type": "document", "value": {"document": document_id, "title": block.text}}
        self.report.note(label, f"block {block.kind} left out")
        return None

    _HREF = re.compile(r'<a href="([^"]*)">')

    def link_target(self, href, item):
        """Return ``(is the old site's, page id or None)`` for a link in ``item``."""
        key = item.links.get(href)
        if key is not None:
            return True, self.pages.get(("post", key))
        parts = urlsplit(html_lib.unescape(href))
        if parts.scheme not in ("", "http", "https") or (
            parts.netloc and parts.netloc.lower() not in self.site.hosts
        ):
            return False, None
        if not parts.path and not parts.query:
            return False, None
        path = legacy.normalise(parts.path + (f"?{parts.query}" if parts.query else ""))
        found = self.path_index.get(path)
        return found is not None, self.pages.get(found) if found else None

    def links(self, html, item):
        """Point links to the old site's posts and pages at their new pages."""

        def replace(match):
            _own, page_id = self.link_target(match.group(1), item)
            return f'<a linktype="page" id="{page_id}">' if page_id else match.group(0)

        return self._HREF.sub(replace, html)

    def links_later(self, item):
        """Does ``item`` link to old posts or pages not imported yet?"""
        hrefs = set(item.links)
        for block in item.blocks:
            hrefs.update(self._HREF.findall(block.html))
        return any(
            own and page_id is None
            for own, page_id in (self.link_target(href, item) for href in hrefs)
        )

    def flush(self):
        self.add_media(
            [(page, item) for batch in self.pending.values() for page, item, *_ in batch]
        )
        for parent_id, batch in list(self.pending.items()):
            parent = Page.objects.get(pk=parent_id)
            add_children(parent, [page for page, *_rest in batch])
            authors, tags = [], []
            for page, item, digest, later in batch:
                self.pages[(item.kind, item.key)] = page.pk
                self.remember(item.kind, item.key, page, digest)
                if isinstance(page, ArticlePage):
                    authors += [
                        (page.pk, a.person_id, i) for i, a in enumerate(page.article_authors.all())
                    ]
                    for link in page.tagged_items.all():
                        tags.append((page.pk, link.tag.pk))
                        self._tag_counts[(link.tag.name.lower(), parent_id)] += 1
                    self.report.count("articles")
                else:
                    self.report.count("pages")
                if later:
                    self.fixups.append((page.pk, item))
                self.created_ids.append(page.pk)
                if page.live:
                    self.new_ids.append(page.pk)
            insert_rows(ArticleAuthor, ("article", "person", "sort_order"), authors)
            insert_rows(ArticleTag, ("content_object", "tag"), tags)
            self.index.add([page for page, *_rest in batch])
        self.pending = {}

    def load_tags(self):
        """Read every tag of the site once (ids, names and slugs only)."""
        if self.tag_cache is None:
            self.tag_cache = {}
            for tag in Tag.objects.order_by("pk").only("pk", "name", "slug"):
                self.tag_cache.setdefault(_tag_key(tag.name), tag)
        return self.tag_cache

    def tags_named(self, names):
        """Return the Tag of each distinct name (case-insensitive, as taggit is set up, and
        also for Cyrillic names, which SQLite's ``iexact`` folds not), creating the
        missing ones."""
        self.load_tags()
        tags = []
        for name in dict.fromkeys(n.strip()[:100] for n in names if n.strip()):
            key = _tag_key(name)
            if key not in self.tag_cache:
                self.tag_cache[key] = Tag.objects.create(name=name)
            if self.tag_cache[key] not in tags:
                tags.append(self.tag_cache[key])
        return tags

    def update(self, record, item, digest):
        page = Page.objects.get(pk=record.page_id).specific
        parent = page.get_parent().specific
        fresh = self.build(item, parent)
        self.slugs.get(parent.pk, set()).discard(fresh.slug)
        for name in ("title", "search_description", "lead", "body"):
            setattr(page, name, getattr(fresh, name))
        if isinstance(page, ArticlePage):
            page.date, page.cover_image_id = fresh.date, fresh.cover_image_id
            page.tags.set([link.tag.name for link in fresh.tagged_items.all()])
            page.article_authors = [
                ArticleAuthor(person=a.person) for a in fresh.article_authors.all()
            ]
        revision = page.save_revision()
        if item.is_public:
            revision.publish()
        elif page.live:
            page.unpublish()
        ImportedItem.objects.filter(pk=record.pk).update(digest=digest, imported_at=timezone.now())
        self.report.updated += 1

    def fix_links(self):
        """Rewrite the links of items that pointed at items imported after them (their
        page and its one revision, which an import has just written)."""
        for page_id, item in self.fixups:
            page = Page.objects.get(pk=page_id).specific
            page.body = self.body(item)
            page.save(update_fields=["body"])
            Revision.objects.filter(pk=page.latest_revision_id).update(
                content=page.serializable_data()
            )

    # -- old addresses --------------------------------------------------------------

    def redirects(self):
        """Yield ``(old path, page id, route path or link)`` for every old address."""
        for (kind, key), paths in self.old_paths.items():
            page_id = self.pages.get((kind, key))
            for path in paths:
                yield path, page_id, ""
        for (key, language), section in self.sections.items():
            found = self.site.sections.get(key)
            if found is None:
                continue
            feed = f"/feeds/{language}/{section.slug}/rss.xml"
            for path in found.old_paths:
                yield path, section.pk, ""
                if path.endswith("/"):
                    yield f"{path}rss.xml", None, feed
                    yield f"{path}feed/", None, feed
        for name, paths in self.site.tag_paths.items():
            section_id = self.tag_sections.get(name.lower())
            tag = self.load_tags().get(_tag_key(name))
            if section_id and tag:
                for path in paths:
                    yield path, section_id, f"/tag/{tag.slug}/"
        for key, paths in self.site.author_paths.items():
            person = next((p for (k, _l), p in self.people.items() if k == key), None)
            url = person.get_url() if person else None
            for path in paths if url else ():
                yield path, None, url
        language = "kk" if self.homes and "ru" not in self.homes else "ru"
        for path in self.site.feed_paths:
            yield path, None, f"/feeds/{language}/rss.xml"
        for old, new in self.site.redirects:
            target = self._resolve_old(new)
            if target:
                yield old, *target

    def _resolve_old(self, address):
        """Return (page id, "") or (None, link) for a target of the old site's redirects."""
        path = urlsplit(address).path if address.startswith("http") else address
        for (kind, key), paths in self.old_paths.items():
            if path in paths and (kind, key) in self.pages:
                return self.pages[(kind, key)], ""
        return (None, address) if address.startswith(("http://", "https://", "/")) else None

    def relate_new(self):
        clock = time.perf_counter()
        store_related_many(self.new_ids)
        self.report.seconds["related"] = time.perf_counter() - clock
        self.report.peaks["related"] = peak_memory_mb()
        # Wagtail's admin search (bulk writes send no post_save for its own handlers).
        for model in (ArticlePage, StandardPage):
            ids = model.objects.filter(pk__in=self.created_ids).values_list("pk", flat=True)
            queue_admin_search(model, ids)
        queue_admin_search(get_image_model(), self.media.created["image"])
        queue_admin_search(get_document_model(), self.media.created["document"])


def import_site(site, *, dry_run=False, progress=None):
    """Import ``site`` (an ``iskra.imports.archive.Site``); return the MigrationReport.

    In one transaction; on any error it is rolled back and every file written is
    removed. With ``dry_run`` everything is read and converted, then rolled back.
    """
    importer = SiteImporter(site, progress=progress, dry_run=dry_run)
    try:
        with transaction.atomic():
            report = importer.run()
            if dry_run:
                transaction.set_rollback(True)
            committing = time.perf_counter()
    except BaseException:
        importer.media.remove_written()
        raise
    if dry_run:
        importer.media.remove_written()
    else:
        # The commit, and the admin search's tasks queued on it (they run here with the
        # immediate task backend, in the worker with a queue).
        report.seconds["commit and admin search"] = time.perf_counter() - committing
    report.peak_mb = peak_memory_mb()
    report.worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return report


def release_memory():
    """Give the memory the pages' batches used back to the system (glibc keeps what small
    objects freed for later, and the related ranking's arrays come on top of it)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def peak_memory_mb():
    """Return this process's largest resident memory so far, in MB. Linux's VmHWM, which
    starts afresh with the program; ``ru_maxrss`` also counts what the parent held when it
    forked (a benchmark that wrote a 200 MB dump would be counted in)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def run_import(read, path, *, source, dry_run=False, progress=None, user=None, file_name=None):
    """Read ``path`` with ``read`` (a reader returning a ``Site``), import it and record the
    run in the import history (``SiteImport``); return ``(report, run)``.

    A failure is recorded with its message and raised again: ``ImportFailed`` and the
    readers' errors (``ValueError`` subclasses) carry messages an editor understands.
    """
    run = SiteImport.objects.create(
        source=source, file_name=(file_name or str(path))[-255:], is_dry_run=dry_run, user=user
    )
    try:
        site = read(path)
        report = import_site(site, dry_run=dry_run, progress=progress)
    except (ValueError, legacy.ImportFailed, OSError) as error:
        SiteImport.objects.filter(pk=run.pk).update(
            status=SiteImport.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    run.status = SiteImport.Status.DONE
    run.finished_at = timezone.now()
    run.summary, run.details = report.summary(), report.details()[:5000]
    run.save()
    return report, run
