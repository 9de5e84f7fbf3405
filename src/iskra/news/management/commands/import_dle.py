import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.imports.dle import read_dle
from iskra.imports.legacy import ImportFailed
from iskra.news.site_import import run_import


def language_pairs(values):
    """Parse ``--language-of ALT_NAME=kk`` options into a dict."""
    pairs = {}
    for value in values or []:
        name, _sep, language = value.partition("=")
        if language not in ("ru", "kk") or not name:
            raise CommandError(f"--language-of {value}: write CATEGORY_ALT_NAME=ru or =kk.")
        pairs[name] = language
    return pairs


def check_uploads(uploads):
    if uploads is None:
        return None
    folder = Path(uploads)
    if not folder.is_dir():
        raise CommandError(_("The uploads folder %(path)s does not exist.") % {"path": uploads})
    return folder


class Progress:
    def __init__(self, stream):
        self.stream = stream
        self.start = time.monotonic()

    def __call__(self, done):
        self.stream.write(f"… {done} items ({time.monotonic() - self.start:.0f} s)")


def write_report(command, report):
    for line in report.summary():
        command.stdout.write(line)
    details = report.details()
    if details:
        command.stdout.write("")
        for line in details:
            command.stdout.write(f"  {line}")


class Command(BaseCommand):
    help = (
        "Import a DataLife Engine site from its database dump (mysqldump or phpMyAdmin) and "
        "its uploads/ folder: categories, posts, static pages, authors, images and files, "
        "with a permanent redirect for every old address. Importing again updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", help="the database dump (.sql)")
        parser.add_argument("--uploads", help="DLE's uploads/ folder (images and files)")
        parser.add_argument("--dry-run", action="store_true", help="read everything, save nothing")
        parser.add_argument(
            "--language-of",
            action="append",
            metavar="CATEGORY_ALT_NAME=kk",
            help="put a category's posts in the Kazakh (or Russian) tree, whatever their letters",
        )

    def handle(self, *args, dump, uploads, dry_run, language_of, **options):
        folder = check_uploads(uploads)
        languages = language_pairs(language_of)
        if not Path(dump).is_file():
            raise CommandError(_("The dump %(path)s does not exist.") % {"path": dump})

        def read(path):
            return read_dle(path, uploads=folder, language_of=languages)

        try:
            report, _run = run_import(
                read, dump, source="dle", dry_run=dry_run, progress=Progress(self.stderr)
            )
        except (ValueError, ImportFailed, OSError) as error:
            nothing = _("Nothing was imported.")
            raise CommandError(f"{error} {nothing}") from None
        write_report(self, report)
