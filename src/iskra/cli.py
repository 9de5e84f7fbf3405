"""The ``iskra`` command: Django's management commands with Iskra's settings."""

import os
import sys

from django.core.management import execute_from_command_line


def main():
    """Run a management command, e.g. ``iskra demo`` or ``iskra serve``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")
    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        # `iskra import-telegram` is `iskra import_telegram` (command modules are snake_case).
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
