"""``python -m chiso_web worker [--once]``: run the job system's loop (report requests,
import runs, the push inbox, report retention) outside the web process."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chiso_web.jobs.loop import POLL_SECONDS, run_next, start_threads

EMPTY = "Không có yêu cầu báo cáo hay lần nhập dữ liệu nào đang chờ."


class Command(BaseCommand):
    """Run report and import jobs (use with CHISO_WORKER=0 on the web process)."""

    help = (
        "Làm các việc đang chờ: tạo báo cáo (DOCX, XLSX, PDF), kiểm tra và nhập tệp tải lên; "
        "--once: làm một việc rồi thoát."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--once`` and ``--interval``."""
        parser.add_argument("--once", action="store_true", help="làm một việc rồi thoát")
        parser.add_argument(
            "--interval", type=float, default=POLL_SECONDS, help="giây chờ khi hàng đợi trống"
        )

    def handle(self, *args: Any, once: bool = False, interval: float = POLL_SECONDS,
               **options: Any) -> None:  # fmt: skip
        """Loop until interrupted (Ctrl+C), or do one job with ``--once``."""
        if once:
            self.stdout.write(run_next() or EMPTY)
            return
        self.stdout.write("Đang chờ việc (Ctrl+C để dừng)…")
        stop = start_threads(interval)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            stop()
            self.stdout.write("Đã dừng.")
