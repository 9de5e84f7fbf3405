from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.imports.legacy import ImportFailed
from iskra.imports.wordpress import read_wordpress
from iskra.news.site_import import run_import

from .import_dle import Progress, check_uploads, write_report


class Command(BaseCommand):
    help = (
        "Import a WordPress site from its export (Tools › Export, WXR) and its "
        "wp-content/uploads/ folder: posts, pages, categories, tags, authors and media, with "
        "a permanent redirect for every old address. Importing again updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR export (.xml)")
        parser.add_argument("--uploads", help="the site's wp-content/uploads/ folder")
        parser.add_argument("--dry-run", action="store_true", help="read everything, save nothing")

    def handle(self, *args, export, uploads, dry_run, **options):
        folder = check_uploads(uploads)
        if not Path(export).is_file():
            raise CommandError(_("The export %(path)s does not exist.") % {"path": export})
        try:
            report, _run = run_import(
                lambda path: read_wordpress(path, uploads=folder),
                export,
                source="wordpress",
                dry_run=dry_run,
                progress=Progress(self.stderr),
            )
        except (ValueError, ImportFailed, OSError) as error:
            nothing = _("Nothing was imported.")
            raise CommandError(f"{error} {nothing}") from None
        write_report(self, report)
