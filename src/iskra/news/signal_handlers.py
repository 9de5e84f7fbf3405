"""Keep each article's denormalized section in step with the page tree."""

from wagtail.signals import post_page_move


def _update_section_after_move(sender, instance, **kwargs):
    from .models import ArticlePage, SectionPage

    for article in ArticlePage.objects.filter(path__startswith=instance.path):
        section_id = (
            SectionPage.objects.filter(path=article.path[: -article.steplen])
            .values_list("pk", flat=True)
            .first()
        )
        if section_id != article.section_id:
            ArticlePage.objects.filter(pk=article.pk).update(section_id=section_id)


def connect():
    """Connect the news signal handlers; called from NewsConfig.ready()."""
    post_page_move.connect(_update_section_after_move, dispatch_uid="iskra-news-section-move")
