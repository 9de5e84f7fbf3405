from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.publishing import services


class Command(BaseCommand):
    help = (
        "Write the public site as static files into DIR (a copy for any static host, an "
        "onion service or IPFS, with relative links and its own search); --archive packs "
        "it with a manifest signed with MIRROR_SIGNING_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the folder the copy is written to")
        parser.add_argument(
            "--base-url", help="the copy's own address, for its sitemap, feeds and 404 page"
        )
        parser.add_argument("--archive", help="also pack the copy into this .tar.gz file")
        parser.add_argument(
            "--full",
            action="store_true",
            help="render every page again (by default only what changed since the last copy)",
        )

    def handle(self, *args, directory, base_url=None, archive=None, full=False, **options):
        if base_url and urlsplit(base_url).scheme not in ("http", "https"):
            raise CommandError(_("--base-url must be an http:// or https:// address."))
        try:
            if archive:
                services.signing_key()  # no key: say so before the export, not after
            report = services.export_mirror(
                directory,
                base_url=base_url,
                full=full,
                progress=lambda done, total: self.stderr.write(f"{done}/{total}…"),
            )
            if archive:
                packed = services.pack_mirror(report.directory, archive)
        except services.MirrorError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Copy written to %(directory)s in %(seconds).1f s: %(pages)d pages, "
                "%(files)d files, %(megabytes).1f MB, %(redirects)d old addresses, "
                "%(documents)d documents in its search."
            )
            % {
                "directory": report.directory,
                "seconds": report.seconds,
                "pages": report.pages,
                "files": report.files,
                "megabytes": report.bytes / 1e6,
                "redirects": report.redirects,
                "documents": report.search_documents,
            }
        )
        self.stdout.write(
            _("Pages rendered: %(rendered)d; files written: %(written)d; removed: %(removed)d.")
            % {"rendered": report.rendered, "written": report.written, "removed": report.removed}
        )
        for address, status, found_on in report.broken:
            self.stdout.write(
                _("Not in the copy: %(address)s (%(status)s), linked from %(page)s")
                % {"address": address, "status": status, "page": found_on or "—"}
            )
        if archive:
            self.stdout.write(
                _("Archive %(path)s: %(files)d files, signed by %(key)s")
                % {"path": archive, "files": packed.files, "key": packed.public_key}
            )
