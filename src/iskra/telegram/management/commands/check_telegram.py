from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from iskra.telegram.services import check_setup


class Command(BaseCommand):
    help = (
        "Check the Telegram set-up: the bot token, and for each configured channel that "
        "the bot is an administrator allowed to post, edit and delete messages."
    )

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("No site yet: run `iskra migrate` and `iskra demo` first.")
        lines, is_ready = check_setup(site)
        for line in lines:
            self.stdout.write(line)
        if not is_ready:
            raise CommandError("Telegram is not ready; see above.")
