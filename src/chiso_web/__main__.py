"""``python -m chiso_web <command>``: Django's manage.py for the chiso site."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    """Run a management command (migrate, createsuperuser, worker, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso_web.settings")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
