"""The ``iskra`` command: Django's management commands with Iskra's settings."""

import os
import sys


def main():
    """Run a management command, e.g. ``iskra demo`` or ``iskra serve``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
