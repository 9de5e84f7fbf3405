from django.core.management.base import BaseCommand

from iskra.members.services import reencrypt_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every membership application and note with the first key in "
        "MEMBERS_ENCRYPTION_KEYS. Put the new key first, keep the old one after it, run "
        "this, then remove the old key."
    )

    def handle(self, *args, **options):
        counts = reencrypt_all()
        self.stdout.write(
            f"Re-encrypted {counts['application']} applications and "
            f"{counts['applicationnote']} notes with the first key; the other keys can "
            "now be removed from MEMBERS_ENCRYPTION_KEYS."
        )
