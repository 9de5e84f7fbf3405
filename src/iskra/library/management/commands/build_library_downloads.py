from django.core.management.base import BaseCommand

from iskra.library.models import DownloadStatus, WorkPage
from iskra.library.services import build_downloads, stale_works


class Command(BaseCommand):
    help = (
        "Build the EPUB and PDF editions of the library's works whose text or title page "
        "changed since the last build (the scheduler runs this every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every imported work")
        parser.add_argument("--work", type=int, action="append", help="a work's page id")

    def handle(self, *args, all=False, work=None, **options):
        if work:
            works = list(WorkPage.objects.filter(pk__in=work))
        elif all:
            works = list(WorkPage.objects.live().filter(imported_at__isnull=False))
        else:
            works = stale_works()
        failed = 0
        for page in works:
            files = build_downloads(page, force=bool(all or work))
            if files.status == DownloadStatus.FAILED:
                failed += 1
                self.stderr.write(f"{page.title}: {files.error}")
            elif options["verbosity"]:
                self.stdout.write(
                    f"{page.title}: EPUB {files.epub_size // 1024} KB, "
                    f"PDF {files.pdf_size // 1024} KB"
                )
        if failed:
            self.stderr.write(f"{failed} of {len(works)} works failed.")
