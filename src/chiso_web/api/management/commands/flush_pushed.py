"""``python -m chiso_web flush_pushed``: merge pushed dossiers still waiting in the inbox."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chiso_web.api.inbox import flush_pending, pending_count


class Command(BaseCommand):
    """Merge every pending pushed dossier into the data (after a crash or with no worker)."""

    help = "Gộp các hồ sơ nhận qua API còn chờ vào dữ liệu."

    def handle(self, *args: Any, **options: Any) -> None:
        """Flush until nothing is pending."""
        total = 0
        while True:
            merged, diff = flush_pending()
            if merged == 0:
                break
            total += merged
            self.stdout.write(f"đã gộp {merged} hồ sơ: {diff.new} mới, {diff.changed} thay đổi")
        self.stdout.write(f"xong: {total} hồ sơ; còn chờ {pending_count()}")
