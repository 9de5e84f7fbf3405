"""Keep each article's denormalized section in step with the page tree."""

from wagtail.signals import post_page_move


def _update_section_after_move(sender, instance, **kwargs):
    """Re-point the moved page's articles (itself included) at their parent section.

    Reads the section paths once; moving a whole section issues no per-article query.
    """
    from .models import ArticlePage, SectionPage

    sections = dict(SectionPage.objects.values_list("path", "pk"))
    articles = ArticlePage.objects.filter(path__startswith=instance.path).only(
        "pk", "path", "section_id"
    )
    for article in articles:
        section_id = sections.get(article.path[: -article.steplen])
        if section_id != article.section_id:
            ArticlePage.objects.filter(pk=article.pk).update(section_id=section_id)


def connect():
    """Connect the news signal handlers; called from NewsConfig.ready()."""
    post_page_move.connect(_update_section_after_move, dispatch_uid="iskra-news-section-move")
