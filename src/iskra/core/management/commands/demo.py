from django.conf import settings
from django.core.management.base import BaseCommand

from iskra.core.database import refresh_statistics
from iskra.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo site (both languages, sections, articles, people). Safe to repeat."

    def handle(self, *args, **options):
        log, password = load_demo()
        refresh_statistics()
        for line in log:
            self.stdout.write(line)
        if password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Editor login: {settings.BASE_URL}/admin/  user: admin  "
                    f"password: {password}  (shown once; change it in the admin)"
                )
            )
            if settings.ISKRA_TWO_FACTOR == "required":
                self.stdout.write(
                    "At the first login the admin asks you to scan a QR code with an "
                    "authenticator app (two-factor login); for a local trial without one, "
                    "start with TWO_FACTOR=optional."
                )
