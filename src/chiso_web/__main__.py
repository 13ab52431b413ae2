"""``python -m chiso_web <command>``: Django's manage.py for the chiso site.

A command run before the site was ever started (``create_api_token``,
``createsuperuser`` on a fresh ``CHISO_HOME``) first creates or updates the site
database, as ``chiso serve`` does, and says so.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

#: Commands that manage the migrations themselves or need no database.
NO_MIGRATE = {"migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations",
              "help", "check", "version", "--help", "-h", "--version", "diffsettings"}  # fmt: skip


def migrate_first() -> None:
    """Apply the site database's missing migrations (quietly, one line on stderr)."""
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
        from django.utils.translation import gettext

        sys.stderr.write(
            gettext("Created or updated the site's database (as chiso serve does).") + "\n"
        )


def main() -> None:
    """Run a management command (migrate, createsuperuser, worker, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso_web.settings")
    import django

    django.setup()
    from chiso_web.private import secure_process

    secure_process()
    if len(sys.argv) > 1 and sys.argv[1] not in NO_MIGRATE:
        migrate_first()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
