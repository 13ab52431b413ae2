"""What a new site says to its administrator: no account yet, no data yet.

``chiso serve`` with no options starts on an empty folder (``CHISO_HOME/data``); instead of
an error, the console, the sign-in page and every page that needs data say in Vietnamese
how to import data or start the demo.
"""

from __future__ import annotations

from chiso.api import DataSource, table_files
from chiso.errors import UserError

__all__ = ["NoDataError", "has_dossiers", "has_users", "no_account_text", "no_data_text"]

DEMO = "xem thử với dữ liệu mẫu: make demo (hoặc .venv/bin/chiso demo --serve)"


class NoDataError(UserError):
    """The site's data folder has no dossiers yet (a new site)."""

    def __init__(self, folder: str) -> None:
        super().__init__(no_data_text(folder), hint=None)
        self.folder = folder


def no_data_text(folder: str) -> str:
    """The sentence shown while the data folder has no dossiers."""
    return (
        f"Chưa có dữ liệu hồ sơ trong {folder}. Nhập tệp xuất từ hệ thống một cửa ở trang "
        f"Nhập dữ liệu, hoặc bằng dòng lệnh: .venv/bin/chiso import dossiers TỆP --into "
        f"{folder}; hoặc {DEMO}."
    )


def no_account_text() -> str:
    """The sentence shown while the site has no account."""
    return (
        "Trang chưa có tài khoản nào. Tạo tài khoản quản trị: "
        ".venv/bin/python -m chiso_web createsuperuser (cùng CHISO_HOME); hoặc " + DEMO + "."
    )


def has_dossiers(source: str) -> bool:
    """Whether a data folder holds dossiers (a database URL is taken as filled)."""
    folder = DataSource.parse(source).folder
    if folder is None:
        return True
    return folder.is_dir() and table_files(folder.resolve(), "dossiers") is not None


def has_users() -> bool:
    """Whether the site has any account."""
    from django.contrib.auth import get_user_model

    return bool(get_user_model().objects.exists())
