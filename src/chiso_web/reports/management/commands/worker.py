"""``python -m chiso_web worker [--once]``: run the job system's loop (report requests,
import runs, the push inbox, report retention) outside the web process."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext, gettext_noop

from chiso_web.commands import SiteCommand
from chiso_web.jobs.loop import POLL_SECONDS, run_next, start_threads

EMPTY = gettext_noop("No report request or data import is waiting.")


class Command(SiteCommand):
    """Run report and import jobs (use with CHISO_WORKER=0 on the web process)."""

    help = gettext_noop(
        "Do the waiting jobs: make reports (DOCX, XLSX, PDF), check and import uploaded "
        "files; --once: do one job and exit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--once`` and ``--interval``."""
        parser.add_argument("--once", action="store_true", help=gettext_noop("do one job and exit"))
        parser.add_argument(
            "--interval",
            type=float,
            default=POLL_SECONDS,
            metavar=gettext_noop("SECONDS"),
            help=gettext_noop("seconds to wait when the queue is empty"),
        )

    def handle(self, *args: Any, once: bool = False, interval: float = POLL_SECONDS,
               **options: Any) -> None:  # fmt: skip
        """Loop until interrupted (Ctrl+C), or do one job with ``--once``."""
        if once:
            self.stdout.write(run_next(pages=False) or gettext(EMPTY))
            return
        self.stdout.write(gettext("Waiting for jobs (Ctrl+C to stop)…"))
        stop = start_threads(interval, pages=False)  # the web process warms its own cache
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            stop()
            self.stdout.write(gettext("Stopped."))
