"""What the index holds for each kind of thing: title, lead and body text, filters.

``page_document(page)`` covers articles and events; ``chapter_documents(work)`` a
library work's chapters. Each returns ``Document`` values that ``services`` analyses
and stores.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import strip_tags

from .models import Kind


@dataclass
class Document:
    kind: str
    object_id: int
    page_id: int
    language: str
    title: str
    lead: str = ""
    body: str = ""
    section_id: int | None = None
    section_title: str = ""
    date: object = None
    context: str = ""
    path: str = ""
    keywords: str = ""  # weighted like the lead (tags, authors, speakers), never shown


def _plain(html):
    return " ".join(strip_tags(html or "").split())


def _stream_text(page, field_name):
    field = page._meta.get_field(field_name)
    value = getattr(page, field_name)
    return " ".join(_plain(text) for text in field.stream_block.get_searchable_content(value))


def _parent(page):
    parent = page.get_parent()
    return (parent.pk, parent.title) if parent else (None, "")


def page_document(page):
    """Return the ``Document`` of an article or event page, or None for other pages."""
    from iskra.events.models import EventPage
    from iskra.news.models import ArticlePage

    page = page.specific
    language = page.locale.language_code
    section_id, section_title = _parent(page)
    if isinstance(page, ArticlePage):
        tags = " ".join(tag.name for tag in page.tags.all())
        authors = " ".join(link.person.name for link in page.article_authors.all())
        return Document(
            kind=Kind.ARTICLE,
            object_id=page.pk,
            page_id=page.pk,
            language=language,
            title=page.title,
            lead=page.lead,
            keywords=f"{tags} {authors}".strip(),
            body=_stream_text(page, "body"),
            section_id=section_id,
            section_title=section_title,
            date=timezone.localdate(page.date) if page.date else None,
        )
    if isinstance(page, EventPage):
        talks = list(page.talks.select_related("speaker"))
        speakers = " ".join(dict.fromkeys(talk.speaker.name for talk in talks))
        talk_text = " ".join(
            " ".join((talk.title, talk.abstract, _plain(talk.text))) for talk in talks
        )
        return Document(
            kind=Kind.EVENT,
            object_id=page.pk,
            page_id=page.pk,
            language=language,
            title=page.title,
            lead=page.lead,
            keywords=f"{page.city} {speakers}".strip(),
            body=" ".join((_stream_text(page, "description"), talk_text)),
            section_id=section_id,
            section_title=section_title,
            date=timezone.localtime(page.start, page.zone).date() if page.start else None,
        )
    return None


def chapter_documents(work):
    """Yield the ``Document`` of each chapter of a library work (one query per 500)."""
    from iskra.library.models import Chapter, Paragraph

    author = work.get_parent()
    language = work.locale.language_code
    chapters = list(Chapter.objects.filter(work=work).only("id", "title", "slug"))
    for start in range(0, len(chapters), 500):
        batch = chapters[start : start + 500]
        texts = {chapter.pk: [] for chapter in batch}
        rows = (
            Paragraph.objects.filter(chapter__in=batch)
            .exclude(kind="image")
            .order_by("chapter_id", "position")
            .values_list("chapter_id", "html")
        )
        for chapter_id, html in rows:
            texts[chapter_id].append(_plain(html))
        for chapter in batch:
            yield Document(
                kind=Kind.CHAPTER,
                object_id=chapter.pk,
                page_id=work.pk,
                language=language,
                title=chapter.title or work.title,
                keywords=f"{work.title} {author.title}",
                body=" ".join(texts[chapter.pk]),
                section_id=author.pk,
                section_title=author.title,
                context=f"{author.title}. {work.title}",
                path=f"{chapter.slug}/",
            )
