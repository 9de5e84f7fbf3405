"""A library work's editions: its chapters as one book, built by the edition pipeline
(``iskra.publishing``) into EPUB and PDF in the background after an import or a change
of the title page."""

import hashlib

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iskra.core.contracts import EditionSource
from iskra.core.models import SiteSettings
from iskra.publishing.document import Chapter as DocumentChapter
from iskra.publishing.document import Document

from .models import Chapter, Note, Paragraph, WorkPage

_DOCUMENT_TAGS = {"p": "p", "subtitle": "h3", "epigraph": "blockquote", "cite": "blockquote"}


def _block_html(kind, html):
    if kind == "image":
        return ""  # pictures stay on the site; the editions carry the text
    if kind == "poem":
        return f"<blockquote>{html}</blockquote>"
    if kind == "table":
        return html
    tag = _DOCUMENT_TAGS.get(kind, "p")
    return f"<{tag}>{html}</{tag}>"


def source_key(work, author_title=None):
    """Return a digest of what a work's editions are built from: the imported text (its
    import time) and the metadata printed on the title page."""
    author_title = author_title if author_title is not None else work.get_parent().title
    parts = [
        work.imported_at.isoformat() if work.imported_at else "",
        work.title,
        author_title,
        work.translator,
        work.year_written,
        work.source,
        work.original_title,
        work.locale.language_code,
        work.full_url or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def work_document(work):
    """Return the ``publishing.Document`` of a work: its chapters, nested, with notes."""
    author = work.get_parent()
    chapters = list(Chapter.objects.filter(work=work).only("id", "title", "depth"))
    bodies = {chapter.pk: [] for chapter in chapters}
    rows = (
        Paragraph.objects.filter(chapter__work=work)
        .order_by("chapter__position", "position")
        .values_list("chapter_id", "kind", "html")
    )
    for chapter_id, kind, html in rows.iterator(chunk_size=5000):
        bodies[chapter_id].append(_block_html(kind, html))
    notes = dict(Note.objects.filter(work=work).values_list("key", "html"))
    language = work.locale.language_code
    url = work.full_url or ""
    document_chapters = []
    for chapter in chapters:
        body = "".join(bodies[chapter.pk])
        keys = dict.fromkeys(Paragraph.note_keys_in(body))
        document_chapters.append(
            DocumentChapter(
                title=chapter.title,
                body_html=body,
                depth=chapter.depth,
                notes=[(key, notes[key]) for key in keys if key in notes],
            )
        )
    with translation.override(language):
        facts = [(_("Author"), author.title)]
        for label, value in (
            (_("Written"), work.year_written),
            (_("Translator"), work.translator),
            (_("Original title"), work.original_title),
            (_("Edition or source"), work.source),
        ):
            if value:
                facts.append((label, value))
        site = work.get_site()
        options = SiteSettings.for_site(site) if site else None
        colophon = [text for text in (options.name if options else "", url) if text]
        return Document(
            title=work.title,
            subtitle=author.title,
            language=language,
            identifier=f"{url or work.pk}#edition",
            authors=[author.title],
            publisher=options.name if options else "",
            title_page=facts,
            chapters=document_chapters,
            colophon=colophon,
            colophon_title=_("About this edition"),
            contents_title=_("Contents"),
            url=url,
        )


SOURCE = EditionSource(
    name="work",
    label=gettext_lazy("Library edition"),
    model=WorkPage,
    document=work_document,
    digest=source_key,
    pages=lambda: WorkPage.objects.live().filter(imported_at__isnull=False).order_by("imported_at"),
)
