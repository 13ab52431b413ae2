"""``python -m chiso_web worker [--once]``: run queued report jobs outside the web process."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chiso_web.reports.worker import POLL_SECONDS, run_one


class Command(BaseCommand):
    """Run report jobs (use with CHISO_WORKER=0 on the web process)."""

    help = "Tạo các báo cáo đang chờ (DOCX, XLSX, PDF); --once: làm một yêu cầu rồi thoát."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--once`` and ``--interval``."""
        parser.add_argument("--once", action="store_true", help="làm một yêu cầu rồi thoát")
        parser.add_argument(
            "--interval", type=float, default=POLL_SECONDS, help="giây chờ khi hàng đợi trống"
        )

    def handle(self, *args: Any, once: bool = False, interval: float = POLL_SECONDS,
               **options: Any) -> None:  # fmt: skip
        """Loop until interrupted (Ctrl+C), or do one job with ``--once``."""
        if once:
            self._report(run_one(), empty=True)
            return
        self.stdout.write("Đang chờ yêu cầu báo cáo (Ctrl+C để dừng)…")
        try:
            while True:
                job = run_one()
                self._report(job, empty=False)
                if job is None:
                    time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng.")

    def _report(self, job: Any, *, empty: bool) -> None:
        if job is None:
            if empty:
                self.stdout.write("Không có yêu cầu báo cáo nào đang chờ.")
            return
        line = (
            f"#{job.pk} {job.unit_name or job.unit_code} {job.period}: {job.get_status_display()}"
        )
        if job.error:
            line += f" — {job.error}"
        self.stdout.write(line)
