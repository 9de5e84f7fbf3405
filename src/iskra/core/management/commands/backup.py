"""``iskra backup FILE``: the database and the media files in one archive."""

from django.core.management.base import BaseCommand, CommandError

from iskra.core.backup import SECRETS_NOTICE, BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the site to FILE (a tar archive): a consistent snapshot of the "
        "database, taken while the site serves, the media files and a manifest with "
        "checksums. `iskra restore FILE` puts it back, on SQLite or PostgreSQL. The secrets "
        "are not in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. iskra-backup.tar")

    def handle(self, *args, file, **options):
        def progress(message):
            if options["verbosity"]:
                self.stdout.write(message)

        try:
            manifest = create_backup(file, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {file}: {rows} rows, {len(manifest['members']) - 1} "
                "media files."
            )
        )
        self.stdout.write(SECRETS_NOTICE)
