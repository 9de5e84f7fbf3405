"""The edition pipeline: build a page's EPUB and PDF, store them, keep the last good files.

``build_editions(page)`` asks the page's ``EditionSource`` (``iskra.core.contracts``)
for a digest of its inputs and its document; unchanged inputs build nothing, a failed
build keeps the previous file online with the error shown in *Reports › Editions*, and
a failure is not tried again until the inputs change (or an editor presses *Rebuild*).
Every finished build moves the page cache on, so pages offer the new files at once.
"""

import contextlib
import contextvars
import dataclasses
import fcntl
import hashlib
import json
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from iskra.core.contracts import edition_source_for, edition_sources
from iskra.core.latin_view import LANGUAGE_CODE as LATIN_CODE
from iskra.core.latin_view import is_latin_request, latin_url, latinize_html, transliterator
from iskra.core.page_cache import bump_generation_on_commit

from .epub import build_epub

# The static mirror's operations, for the commands and the tasks (explicit re-exports).
from .mirror.export import MirrorError as MirrorError
from .mirror.export import MirrorReport as MirrorReport
from .mirror.export import export_mirror as export_mirror
from .mirror.signing import new_key as new_key
from .mirror.signing import pack_mirror as pack_mirror
from .mirror.signing import public_key_of as public_key_of
from .mirror.signing import signing_key as signing_key
from .mirror.signing import verify_mirror as verify_mirror
from .models import Edition, EditionFormat, EditionScript, EditionStatus
from .pdf import build_pdf

logger = logging.getLogger(__name__)


BUILDERS = {EditionFormat.EPUB: build_epub, EditionFormat.PDF: build_pdf}
DEFERRED = contextvars.ContextVar("iskra_editions_deferred", default=frozenset())


@contextlib.contextmanager
def building_deferred(page_id):
    """Publishing ``page_id`` inside this block queues no build: the periodic check
    builds it (the book importer, whose works can take minutes to build)."""
    token = DEFERRED.set(DEFERRED.get() | {page_id})
    try:
        yield
    finally:
        DEFERRED.reset(token)


def pdf_max_words():
    """ReportLab lays a PDF out in memory: a whole collected works would need gigabytes."""
    return getattr(settings, "PUBLISHING_PDF_MAX_WORDS", 3_000_000)


def document_digest(document):
    """Return a digest of everything in ``document`` that its files show."""
    raw = json.dumps(dataclasses.asdict(document), ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def editions_of(page, *, script=None):
    """Return ``{format: Edition}`` of the editions of ``page`` that have a file, in
    ``script`` (by default the Latin ones when the request is the Kazakh Latin view's and
    the page has them)."""
    found = {}
    for edition in Edition.objects.filter(page_id=page.pk).exclude(file="").order_by("format"):
        found.setdefault(edition.script, {})[edition.format] = edition
    if script is None:
        script = EditionScript.LATIN if is_latin_request() else EditionScript.CYRILLIC
    return found.get(script) or found.get(EditionScript.CYRILLIC, {})


def scripts_for(language):
    """Return the scripts a document in ``language`` is built in."""
    if language == "kk":
        return [EditionScript.CYRILLIC, EditionScript.LATIN]
    return [EditionScript.CYRILLIC]


def latin_document(document):
    """Return a Kazakh ``document`` in Latin letters (text, headings, notes, metadata)."""
    latin = transliterator()

    def html(fragment):
        return latinize_html(fragment, latin)

    chapters = [
        dataclasses.replace(
            chapter,
            title=latin.text(chapter.title),
            byline=latin.text(chapter.byline),
            body_html=html(chapter.body_html),
            notes=[(key, html(note)) for key, note in chapter.notes],
        )
        for chapter in document.chapters
    ]
    return dataclasses.replace(
        document,
        title=latin.text(document.title),
        subtitle=latin.text(document.subtitle),
        language=LATIN_CODE,
        identifier=latin_url(document.identifier),
        authors=[latin.text(author) for author in document.authors],
        publisher=latin.text(document.publisher),
        title_page=[(latin.text(k), latin.text(v)) for k, v in document.title_page],
        chapters=chapters,
        colophon=[latin.text(latin_url(line)) for line in document.colophon],
        colophon_title=latin.text(document.colophon_title),
        contents_title=latin.text(document.contents_title),
        url=latin_url(document.url),
    )


def _inputs(source, page):
    """Return (digest, document or None); digest None means there is nothing to build."""
    if source.digest is not None:
        return source.digest(page), None
    document = source.document(page)
    return (document_digest(document) if document else None), document


def build_editions(page, *, force=False):
    """Build ``page``'s editions whose inputs changed (all with ``force``); return them.

    A page with nothing to build loses its editions and their files. Writes the files to
    the default storage, then the rows; old files are deleted after the commit.
    """
    source = edition_source_for(page)
    if source is None:
        return []
    page = page.specific
    digest, document = _inputs(source, page)
    if digest is None:
        remove_editions(page)
        return []
    editions = {(e.format, e.script): e for e in Edition.objects.filter(page_id=page.pk)}
    wanted = _wanted(page.locale.language_code)
    current = all(key in editions and editions[key].attempted_digest == digest for key in wanted)
    if current and not force and set(editions) == set(wanted):
        return list(editions.values())
    document = document or source.document(page)
    if document is None:
        remove_editions(page)
        return []
    document = _with_build_date(document)
    built = []
    for script in scripts_for(document.language):
        version = latin_document(document) if script == EditionScript.LATIN else document
        stem = f"{page.slug}-{version.language.lower()}-{digest[:10]}"
        for fmt in BUILDERS:
            edition = editions.pop((fmt, script), None)
            edition = edition or Edition(page_id=page.pk, format=fmt, script=script)
            built.append(_build(edition, version, stem, digest))
    for left in editions.values():  # a script the page's language no longer has
        _remove(left)
    bump_generation_on_commit()
    return built


def _wanted(language):
    return [(fmt, script) for script in scripts_for(language) for fmt in BUILDERS]


def _with_build_date(document):
    with translation.override(document.language):
        line = _("Built by Iskra on %(date)s.") % {
            "date": formats.date_format(timezone.localdate(), "DATE_FORMAT")
        }
    return dataclasses.replace(document, colophon=[*document.colophon, line])


def _build(edition, document, stem, digest):
    """Build one format of ``document`` into ``edition`` and save it."""
    edition.attempted_at, edition.attempted_digest = timezone.now(), digest
    old = edition.file.name if edition.file else ""
    if edition.format == EditionFormat.PDF and document.word_count > pdf_max_words():
        edition.file, edition.size = "", 0
        edition.status = EditionStatus.SKIPPED
        edition.error = _("Longer than %(max)s words: too long for one PDF.") % {
            "max": pdf_max_words()
        }
        edition.save()
        _delete_after_commit(edition.file.storage, old)
        return edition
    try:
        data = BUILDERS[edition.format](document)
        edition.file.save(f"{stem}.{edition.format}", ContentFile(data), save=False)
    except Exception as error:  # any failure keeps the previous file online
        logger.exception("Building the %s of page %s failed", edition.format, edition.page_id)
        edition.file.name = old
        edition.status, edition.error = EditionStatus.FAILED, f"{type(error).__name__}: {error}"
        edition.save()
        return edition
    edition.status, edition.error, edition.source_digest = EditionStatus.BUILT, "", digest
    edition.size, edition.word_count = len(data), document.word_count
    edition.built_at = timezone.now()
    edition.save()
    if old != edition.file.name:
        _delete_after_commit(edition.file.storage, old)
    return edition


def remove_editions(page):
    """Delete ``page``'s editions and, after the commit, their files."""
    for edition in Edition.objects.filter(page_id=page.pk):
        _remove(edition)


def _remove(edition):
    if edition.file:
        _delete_after_commit(edition.file.storage, edition.file.name)
    edition.delete()


def _delete_after_commit(storage, name):
    def delete():
        with contextlib.suppress(OSError):  # a file already gone, or storage unreachable
            storage.delete(name)

    if name:
        transaction.on_commit(delete)


def stale_pages():
    """Return the live pages whose editions' inputs changed since their last attempt."""
    attempted = {}
    for page_id, fmt, script, digest in Edition.objects.values_list(
        "page_id", "format", "script", "attempted_digest"
    ):
        attempted.setdefault(page_id, {})[(fmt, script)] = digest
    stale = []
    for source in edition_sources():
        for page in source.pages():
            digest, _document = _inputs(source, page)
            tried = attempted.get(page.pk, {})
            if digest is None:
                if tried:
                    stale.append(page)  # its editions go
            elif set(tried) != set(_wanted(page.locale.language_code)) or set(tried.values()) != {
                digest
            }:
                stale.append(page)
    return stale


def build_stale_editions():
    """Build the editions of every stale page; return the editions built."""
    built = []
    for page in stale_pages():
        built += build_editions(page)
    return built


def update_mirror():
    """Update the copy in ``MIRROR_DIR`` (at ``MIRROR_BASE_URL``), one export at a time
    on this machine (a lock file beside it); return the report, or None without one."""
    directory = getattr(settings, "MIRROR_DIR", "")
    if not directory:
        return None
    lock_path = f"{directory.rstrip('/')}.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a running export finishes first; then this one
        return export_mirror(directory, base_url=getattr(settings, "MIRROR_BASE_URL", "") or None)
