"""``python -m chiso_web send_digest [--unit CODE]``: send this week's digests now.

For trying the mail settings: the week's digest goes to every officer with an e-mail
address who has not had it yet, whatever ``CHISO_DIGEST_WEEKDAY``/``_HOUR`` say (still
once per user and week)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext, gettext_noop

from chiso_web.commands import SiteCommand
from chiso_web.digest.mail import send_week


class Command(SiteCommand):
    """Send the week's digests now."""

    help = gettext_noop(
        "Send the weekly digest now to the unit officers with an e-mail address who have "
        "not had this week's; --unit: only the officers of one unit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--unit``."""
        parser.add_argument(
            "--unit",
            default=None,
            metavar=gettext_noop("UNIT_CODE"),
            help=gettext_noop("unit code (default: every unit)"),
        )

    def handle(self, *args: Any, unit: str | None = None, **options: Any) -> None:
        """Send, then say to whom."""
        sent = send_week(unit_code=unit)
        for item in sent:
            self.stdout.write(
                gettext("Sent to %(user)s <%(email)s>: %(subject)s")
                % {"user": item.username, "email": item.email, "subject": item.subject}
            )
        if not sent:
            self.stdout.write(
                gettext(
                    "No mail sent: every officer with an e-mail address has had this week's "
                    "digest, or no officer has an e-mail address yet."
                )
            )
