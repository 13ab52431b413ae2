"""``python -m chiso_web flush_pushed``: merge pushed dossiers still waiting in the inbox."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from chiso_web.api.inbox import flush_pending, pending_count
from chiso_web.commands import SiteCommand


class Command(SiteCommand):
    """Merge every pending pushed dossier into the data (after a crash or with no worker)."""

    help = gettext_noop(
        "Merge the dossiers received through the API and still waiting into the data."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Flush until nothing is pending."""
        total = 0
        while True:
            merged, diff = flush_pending()
            if merged == 0:
                break
            total += merged
            self.stdout.write(
                gettext("merged %(merged)d dossiers: %(new)d new, %(changed)d changed")
                % {"merged": merged, "new": diff.new, "changed": diff.changed}
            )
        self.stdout.write(
            gettext("done: %(total)d dossiers; %(pending)d still waiting")
            % {"total": total, "pending": pending_count()}
        )
