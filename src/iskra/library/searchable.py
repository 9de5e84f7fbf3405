"""Library chapters as the search sees them (the ``SearchProvider`` of kind "chapter"):
one document per chapter of a work, linking to the chapter inside the work's page."""

from django.utils.translation import gettext_lazy as _

from iskra.core.contracts import SearchDocument, SearchProvider, plain_text

from .models import Chapter, Paragraph, WorkPage

KIND = "chapter"
BATCH = 500  # chapters whose paragraphs are read in one query


def chapter_documents(work):
    """Yield the ``SearchDocument`` of each chapter of ``work`` (one query per 500)."""
    author = work.get_parent()
    language = work.locale.language_code
    chapters = list(Chapter.objects.filter(work=work).only("id", "title", "slug"))
    for start in range(0, len(chapters), BATCH):
        batch = chapters[start : start + BATCH]
        texts = {chapter.pk: [] for chapter in batch}
        rows = (
            Paragraph.objects.filter(chapter__in=batch)
            .exclude(kind="image")
            .order_by("chapter_id", "position")
            .values_list("chapter_id", "html")
        )
        for chapter_id, html in rows:
            texts[chapter_id].append(plain_text(html))
        for chapter in batch:
            yield SearchDocument(
                kind=KIND,
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


PROVIDER = SearchProvider(
    kind=KIND,
    label=_("Library"),
    model=WorkPage,
    documents=chapter_documents,
    live_pages=lambda: WorkPage.objects.live().order_by("pk"),
)
