"""``python -m chiso_web create_api_token --name X [--unit CODE]``: print a new token once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_noop

from chiso.errors import UserError
from chiso_web.api.tokens import create_token
from chiso_web.commands import SiteCommand


class Command(SiteCommand):
    """Create a push-API token; only its SHA-256 is stored."""

    help = gettext_noop(
        "Create an access token for a system that pushes dossiers (the token is printed only once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """--name and optional --unit."""
        parser.add_argument(
            "--name",
            required=True,
            metavar=gettext_noop("NAME"),
            help=gettext_noop("name of the system sending the data"),
        )
        parser.add_argument(
            "--unit",
            default="",
            metavar=gettext_noop("UNIT_CODE"),
            help=gettext_noop("only allow dossiers of this unit"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the token and print its secret."""
        try:
            token, secret = create_token(
                options["name"], unit_code=options["unit"], created_by=gettext("command line")
            )
        except UserError as exc:
            raise CommandError(
                gettext("%(message)s (%(hint)s)") % {"message": exc.message, "hint": exc.hint}
            ) from None
        if token.unit_code:
            scope = gettext("unit %(unit)s and the units under it") % {"unit": token.unit_code}
        else:
            scope = gettext("the whole province")
        self.stderr.write(
            gettext("Created the access token “%(name)s” (%(scope)s); it is printed only once:")
            % {"name": token.name, "scope": scope}
        )
        self.stdout.write(secret)
