from django.core.management.base import BaseCommand

from iskra.core.database import refresh_statistics
from iskra.core.page_cache import bump_generation
from iskra.news.models import ArticlePage
from iskra.news.services import store_related


class Command(BaseCommand):
    help = (
        "Re-rank and store every live article's related articles (normally done on publish); "
        "use after importing articles outside the publishing workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", help="only the articles in this language (ru, kk)")

    def handle(self, *args, language=None, **options):
        articles = ArticlePage.objects.live().order_by("pk")
        if language:
            articles = articles.filter(locale__language_code=language)
        total = articles.count()
        for done, article in enumerate(articles.iterator(chunk_size=500), start=1):
            store_related(article)
            if done % 500 == 0 or done == total:
                self.stdout.write(f"{done}/{total} articles")
        refresh_statistics()
        bump_generation()
        self.stdout.write(self.style.SUCCESS(f"Stored related articles for {total} articles."))
