"""``python -m chiso_web create_api_token --name X [--unit CODE]``: print a new token once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.errors import UserError
from chiso_web.api.tokens import create_token


class Command(BaseCommand):
    """Create a push-API token; only its SHA-256 is stored."""

    help = "Tạo mã truy cập API cho hệ thống gửi hồ sơ (mã chỉ in ra một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        """--name and optional --unit."""
        parser.add_argument("--name", required=True, help="tên hệ thống gửi dữ liệu")
        parser.add_argument("--unit", default="", help="chỉ cho gửi hồ sơ của đơn vị này")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the token and print its secret."""
        try:
            token, secret = create_token(
                options["name"], unit_code=options["unit"], created_by="dòng lệnh"
            )
        except UserError as exc:
            raise CommandError(f"{exc.message} ({exc.hint})") from None
        scope = f"đơn vị {token.unit_code} và cấp dưới" if token.unit_code else "cả tỉnh"
        self.stderr.write(f"Đã tạo mã truy cập “{token.name}” ({scope}); mã chỉ in một lần:")
        self.stdout.write(secret)
