from django.conf import settings
from django.core.management.base import BaseCommand

from iskra.members.services import delete_expired_applications


class Command(BaseCommand):
    help = (
        "Delete membership applications accepted or declined more than "
        "MEMBERS_RETENTION_DAYS days ago (logged by number only). Run it daily."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_applications()
        self.stdout.write(
            f"Deleted {deleted} applications decided more than "
            f"{settings.MEMBERS_RETENTION_DAYS} days ago."
        )
