from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the ru and kk gettext catalogs (.po → .mo) with Babel; no GNU gettext needed."

    def handle(self, *args, **options):
        try:  # Babel is a dev extra: a site that only runs needs no compiler
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po
        except ImportError as error:
            raise CommandError("Babel is needed: install the dev extras.") from error
        for po_path in sorted(Path(settings.PACKAGE_DIR, "locale").glob("*/LC_MESSAGES/django.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle)
            with po_path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)
            self.stdout.write(f"{po_path.parent.parent.name}: {len(catalog)} messages")
