"""``iskra restore FILE``: put a backup back, into a new site on either engine."""

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError

from iskra.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the backup FILE (made by `iskra backup`) into this site: the database "
        "(SQLite or PostgreSQL, whichever the backup was made on) and the media files. "
        "The archive is checked first; a site that has content is refused unless "
        "--replace. A failed restore changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup archive")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete this site's content and put the backup in its place",
        )

    def handle(self, *args, file, replace, **options):
        def progress(message):
            if options["verbosity"]:
                self.stdout.write(message)

        try:
            manifest = restore(file, replace=replace, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except (DeserializationError, IntegrityError, DatabaseError) as exc:
            raise CommandError(
                f"The backup's rows could not be loaded, so nothing was changed: {exc}"
            ) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file}: {rows} rows, {len(manifest['members']) - 1} media files. "
                "Accounts log in again (sessions are not in a backup)."
            )
        )
