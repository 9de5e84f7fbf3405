from django.core.management.base import BaseCommand

from iskra.events.models import EventPage
from iskra.events.services import build_proceedings


class Command(BaseCommand):
    help = "Build the collected volumes (EPUB and PDF) of events whose talks have texts."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these events (all by default)")
        parser.add_argument("--force", action="store_true", help="rebuild unchanged volumes")

    def handle(self, *args, slugs, force, **options):
        events = EventPage.objects.live()
        if slugs:
            events = events.filter(slug__in=slugs)
        for event in events.order_by("path"):
            volume = build_proceedings(event, force=force)
            if volume is None:
                self.stdout.write(f"{event.title}: no talk texts, no volume")
            else:
                self.stdout.write(
                    f"{event.title} ({event.locale.language_code}): {volume.status}, "
                    f"{volume.word_count} words, EPUB {volume.epub_size} B, "
                    f"PDF {volume.pdf_size} B{' — ' + volume.error if volume.error else ''}"
                )
