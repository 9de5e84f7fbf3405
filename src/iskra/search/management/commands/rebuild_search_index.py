import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from iskra.search.services import rebuild


class Command(BaseCommand):
    help = (
        "Index every published article, event and library chapter again with the current "
        "language analysis (run it after upgrading the analysers); shows its progress."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        last = [0.0]

        def progress(done, total, label):
            now = time.perf_counter()
            if options["verbosity"] and (now - last[0] > 1 or done == total):
                last[0] = now
                percent = 100 * done // total if total else 100
                self.stdout.write(f"{done}/{total} pages ({percent} %), now {label}")

        done = rebuild(progress=progress)
        self.stdout.write(f"Indexed {done} pages in {time.perf_counter() - started:.1f} s.")
        # The admin's search (Wagtail's index) stores the same analysed terms.
        call_command("update_index", verbosity=0)
        self.stdout.write("Wagtail's admin search index rebuilt.")
