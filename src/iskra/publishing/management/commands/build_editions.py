from django.core.management.base import BaseCommand
from wagtail.models import Page

from iskra.core.contracts import edition_sources
from iskra.publishing import services


class Command(BaseCommand):
    help = (
        "Build the EPUB and PDF editions (collected volumes of events, library works) "
        "whose inputs changed; --all or --page ID rebuild them anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every edition")
        parser.add_argument("--page", type=int, action="append", default=[], help="page id")

    def handle(self, *args, all=False, page=(), **options):
        if page:
            pages = [p.specific for p in Page.objects.filter(pk__in=page)]
        elif all:
            pages = [p for source in edition_sources() for p in source.pages()]
        else:
            pages = services.stale_pages()
        for item in pages:
            editions = services.build_editions(item, force=bool(all or page))
            if not editions:
                self.stdout.write(f"{item.title}: nothing to build")
            for edition in editions:
                error = f" — {edition.error}" if edition.error else ""
                self.stdout.write(
                    f"{item.title} ({edition.format}): {edition.status}, "
                    f"{edition.word_count} words, {edition.size} B{error}"
                )
        self.stdout.write(f"{len(pages)} pages checked")
