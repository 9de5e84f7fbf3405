from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.imports.old_urls import UrlListError, check_urls, read_url_list


class Command(BaseCommand):
    help = (
        "Check a list of the old site's addresses (its sitemap.xml, or a text file with one "
        "URL a line) against this site: every one should land on a page. Lists those that "
        "do not, and exits with status 1 if there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument("url_list", help="the old site's sitemap.xml or a text file of URLs")

    def handle(self, *args, url_list, **options):
        try:
            urls = read_url_list(url_list)
        except UrlListError as error:
            raise CommandError(str(error)) from None
        results = check_urls(urls)
        failed = [result for result in results if not result.is_ok]
        for result in failed:
            self.stdout.write(f"{result.status}  {result.url}  → {result.landed}")
        self.stdout.write(
            _("%(ok)s of %(total)s old addresses land on a page; %(failed)s do not.")
            % {"ok": len(results) - len(failed), "total": len(results), "failed": len(failed)}
        )
        if failed:
            raise SystemExit(1)
