from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.publishing import services


class Command(BaseCommand):
    help = (
        "Check a copy's archive made by export-mirror --archive: the signature of its "
        "manifest and every file against it."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file")
        parser.add_argument("--public-key", required=True, help="the organization's key")

    def handle(self, *args, archive, public_key, **options):
        try:
            files = services.verify_mirror(archive, public_key=public_key)
        except services.MirrorError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(path)s is whole and signed by this key: %(files)d files checked.")
            % {"path": archive, "files": files}
        )
