"""News articles as the search sees them (the ``SearchProvider`` of kind "article")."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iskra.core.contracts import SearchDocument, SearchProvider, stream_text

from .models import ARTICLE_KIND as KIND
from .models import ArticlePage, SectionPage


def article_documents(article):
    """Return the one ``SearchDocument`` of ``article``."""
    tags = " ".join(tag.name for tag in article.tags.all())
    authors = " ".join(link.person.name for link in article.article_authors.all())
    document = SearchDocument.for_page(
        article,
        kind=KIND,
        body=stream_text(article, "body"),
        keywords=f"{tags} {authors}",
        date=timezone.localdate(article.date) if article.date else None,
        # The section kept on the article: no tree query (``for_page`` asks the tree else).
        parent=article.section if article.section_id else None,
    )
    return [document]


def _live_articles():
    return ArticlePage.objects.live().order_by("date", "pk")


def _sections(languages):
    return list(
        SectionPage.objects.live()
        .filter(locale__language_code__in=languages)
        .order_by("path")
        .values_list("pk", "title")
    )


PROVIDER = SearchProvider(
    kind=KIND,
    label=_("News and articles"),
    model=ArticlePage,
    documents=article_documents,
    live_pages=_live_articles,
    sections=_sections,
)
