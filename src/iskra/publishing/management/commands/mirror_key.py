from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from iskra.publishing import services


class Command(BaseCommand):
    help = "Make an Ed25519 key that signs the copy's archives; print it and its public key."

    def handle(self, *args, **options):
        private, public = services.new_key()
        self.stdout.write(_("Keep this secret; give it to export-mirror in the environment:"))
        self.stdout.write(f"MIRROR_SIGNING_KEY={private}")
        self.stdout.write(_("Publish this; volunteers check archives with it:"))
        self.stdout.write(f"iskra verify-mirror FILE --public-key {public}")
