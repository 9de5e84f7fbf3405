from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.imports.telegram import ExportError
from iskra.news.models import SectionPage
from iskra.news.telegram_import import import_telegram_export


class Command(BaseCommand):
    help = (
        "Import a Telegram channel history exported by Telegram Desktop (Export chat "
        "history, JSON) as published articles. Running it again imports only new posts."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the export folder, or its result.json")
        parser.add_argument("--section", default="news", help="section slug (default: news)")
        parser.add_argument("--language", default="ru", choices=["ru", "kk"])

    def handle(self, *args, path, section, language, **options):
        target = (
            SectionPage.objects.filter(slug=section, locale__language_code=language)
            .order_by("path")
            .first()
        )
        if target is None:
            raise CommandError(f"No section '{section}' in language '{language}'.")
        try:
            report = import_telegram_export(path, section=target)
        except ExportError as error:
            nothing = _("Nothing was imported.")
            raise CommandError(f"{error} {nothing}") from None
        for line in report.lines():
            self.stdout.write(line)
