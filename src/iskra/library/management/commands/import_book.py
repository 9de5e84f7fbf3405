from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from iskra.imports.books import BookError, read_book
from iskra.library.models import LibraryPage
from iskra.library.services import import_book


class Command(BaseCommand):
    help = (
        "Import a book (FB2, .fb2.zip, EPUB, text or Markdown) into the library; importing "
        "it again updates it in place and keeps the paragraph anchors of unchanged text."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--author", default="", help="the author's name (else the book's)")
        parser.add_argument("--library", default="ru", choices=["ru", "kk"])

    def handle(self, *args, path, author, library, **options):
        target = LibraryPage.objects.filter(locale__language_code=library).first()
        if target is None:
            raise CommandError(f"There is no library page in '{library}' yet.")
        try:
            book = read_book(path)
        except (BookError, OSError) as error:
            nothing = _("Nothing was imported.")
            raise CommandError(f"{error} {nothing}") from None
        result = import_book(book, library=target, author_name=author, original=path)
        verb = "created" if result.created else "updated"
        self.stdout.write(
            f"{result.work.title}: {verb}, {result.chapters} chapters, "
            f"{result.paragraphs} paragraphs ({result.kept_anchors} anchors kept), "
            f"{result.images} pictures"
        )
        if result.skipped_images:
            self.stderr.write("Left out, not images: " + ", ".join(result.skipped_images[:10]))
        self.stdout.write(
            "The EPUB and PDF editions are built by the scheduler that `iskra serve` runs, "
            "or now with `iskra build_library_downloads`."
        )
