from django.db.models import prefetch_related_objects
from wagtail import hooks

from iskra.core.models import below, exclude_private

from .models import CARD_FIELDS, ArticlePage, SectionPage

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

    One short query per section, answered from the (section, date) index; the lead
    story is the newest illustrated article among them.
    """
    sections = list(
        exclude_private(
            SectionPage.objects.filter(below(home, depth=home.depth + 1)).live()
        ).order_by("path")
    )
    if not sections:
        return []
    latest = {
        section.pk: list(
            exclude_private(ArticlePage.objects.filter(section=section).live())
            .select_related("cover_image")
            .only(*CARD_FIELDS)
            .order_by("-date", "-pk")[: HOME_ARTICLES_PER_SECTION + 1]
        )
        for section in sections
    }
    illustrated = [a for articles in latest.values() for a in articles if a.cover_image_id]
    lead = max(illustrated, key=lambda a: (a.date, a.pk), default=None)
    per_section = [
        {
            "page": section,
            "articles": [a for a in latest[section.pk] if a is not lead][
                :HOME_ARTICLES_PER_SECTION
            ],
        }
        for section in sections
    ]
    prefetch_related_objects(
        [a for articles in latest.values() for a in articles], "cover_image__renditions"
    )
    return [{"template": "news/includes/home_latest.html", "lead": lead, "sections": per_section}]


@hooks.register("iskra_person_sections")
def person_articles(person, request):
    """List the person's articles on their page."""
    articles = _listing(ArticlePage.objects.filter(article_authors__person=person)).order_by(
        "-date", "-pk"
    )[:50]
    return [{"template": "news/includes/person_articles.html", "items": list(articles)}]
