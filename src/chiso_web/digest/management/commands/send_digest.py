"""``python -m chiso_web send_digest [--unit CODE]``: send this week's digests now.

For trying the mail settings: the week's digest goes to every officer with an e-mail
address who has not had it yet, whatever ``CHISO_DIGEST_WEEKDAY``/``_HOUR`` say (still
once per user and week)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chiso_web.digest.mail import send_week


class Command(BaseCommand):
    """Send the week's digests now."""

    help = (
        "Gửi ngay bản tin tuần cho cán bộ đơn vị có địa chỉ thư chưa nhận bản tin tuần này; "
        "--unit: chỉ cán bộ của một đơn vị."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """``--unit``."""
        parser.add_argument("--unit", default=None, help="mã đơn vị (mặc định: mọi đơn vị)")

    def handle(self, *args: Any, unit: str | None = None, **options: Any) -> None:
        """Send, then say to whom."""
        sent = send_week(unit_code=unit)
        for item in sent:
            self.stdout.write(f"Đã gửi cho {item.username} <{item.email}>: {item.subject}")
        if not sent:
            self.stdout.write(
                "Không gửi thư nào: mọi cán bộ có địa chỉ thư đã nhận bản tin tuần này, "
                "hoặc chưa cán bộ nào có địa chỉ thư."
            )
