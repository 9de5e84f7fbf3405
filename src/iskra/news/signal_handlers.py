"""Keep derived article data in step: the denormalized section and the related lists."""

from wagtail.signals import page_published, post_page_move

from .models import ArticlePage, SectionPage
from .tasks import refresh_related


def _update_section_after_move(sender, instance, **kwargs):
    """Re-point the moved page's articles (itself included) at their parent section.

    Reads the section paths once; moving a whole section issues no per-article query.
    """
    sections = dict(SectionPage.objects.values_list("path", "pk"))
    articles = ArticlePage.objects.filter(path__startswith=instance.path).only(
        "pk", "path", "section_id"
    )
    for article in articles:
        section_id = sections.get(article.path[: -article.steplen])
        if section_id != article.section_id:
            ArticlePage.objects.filter(pk=article.pk).update(section_id=section_id)
            _refresh_related(instance=article, moved=True)


def _refresh_related(instance, moved=False, **kwargs):
    """Queue the re-ranking of a published article's related list and its neighbours'.

    Enqueued inside the publishing transaction: a queue that stores tasks in the
    database only releases it on commit, and the immediate backend sees the new data.
    """
    refresh_related.enqueue(instance.pk, moved=moved)


def connect():
    """Connect the news signal handlers; called from NewsConfig.ready()."""
    post_page_move.connect(_update_section_after_move, dispatch_uid="iskra-news-section-move")
    page_published.connect(
        _refresh_related, sender=ArticlePage, dispatch_uid="iskra-news-related-publish"
    )
