from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from wagtail import hooks

from iskra.core.models import exclude_private

from .models import ArticlePage, SectionPage

HOME_ARTICLES_PER_SECTION = 4


def _listing(queryset):
    return (
        exclude_private(queryset.live())
        .defer_streamfields()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
    )


@hooks.register("iskra_home_blocks")
def latest_articles(home, request):
    """Give the home page its lead story and the latest articles of each section.

    The latest articles of all sections come from one windowed query.
    """
    sections = list(exclude_private(SectionPage.objects.child_of(home).live()).order_by("path"))
    if not sections:
        return []
    section_path_length = len(sections[0].path)
    articles = list(
        _listing(ArticlePage.objects.descendant_of(home))
        .annotate(
            section_path=Substr("path", 1, section_path_length),
            position=Window(
                RowNumber(),
                partition_by=[Substr("path", 1, section_path_length)],
                order_by=[F("date").desc(), F("pk").desc()],
            ),
        )
        .filter(position__lte=HOME_ARTICLES_PER_SECTION + 1)
        .order_by("-date", "-pk")
    )
    lead = next((article for article in articles if article.cover_image_id), None)
    per_section = [
        {
            "page": section,
            "articles": [
                article
                for article in articles
                if article.section_path == section.path and article is not lead
            ][:HOME_ARTICLES_PER_SECTION],
        }
        for section in sections
    ]
    return [{"template": "news/includes/home_latest.html", "lead": lead, "sections": per_section}]


@hooks.register("iskra_person_sections")
def person_articles(person, request):
    """List the person's articles on their page."""
    articles = _listing(ArticlePage.objects.filter(article_authors__person=person)).order_by(
        "-date", "-pk"
    )[:50]
    return [{"template": "news/includes/person_articles.html", "items": list(articles)}]
