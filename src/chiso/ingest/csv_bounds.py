"""The refusals of a CSV file over a bound (issue #14), the same from either CSV reader.

``sources`` reads CSV with Python's ``csv`` module, ``csv_columns`` with Arrow; both
refuse a file with too many rows, a physical line too long or a cell too long with
these Vietnamese errors, naming the file and the line as the user's editor numbers it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from chiso.errors import UserError
from chiso.ingest.limits import MAX_CSV_LINE_CHARS, MAX_CSV_ROWS, count, refusal

__all__ = ["cell_too_long", "line_too_long", "too_many_rows"]

_FIX = "mở tệp bằng Excel hoặc LibreOffice, kiểm tra dòng đó rồi lưu lại dạng CSV UTF-8"
_SPLIT = "chia tệp thành nhiều tệp nhỏ hơn rồi nhập lần lượt"


def too_many_rows(path: Path, limit: int = MAX_CSV_ROWS) -> UserError:
    """A record starts on a line past ``limit``."""
    return refusal(str(path), f"có hơn {count(limit)} dòng", f"{count(limit)} dòng", _SPLIT)


def line_too_long(path: Path, line: int, limit: int = MAX_CSV_LINE_CHARS) -> UserError:
    """Physical line ``line`` holds more than ``limit`` characters."""
    what = f"dòng {count(line)} dài hơn {count(limit)} ký tự"
    return refusal(str(path), what, f"{count(limit)} ký tự mỗi dòng", _FIX)


def cell_too_long(path: Path, line: int) -> UserError:
    """A cell of the record ending on ``line`` is longer than ``csv`` accepts."""
    limit = count(csv.field_size_limit())
    what = f"dòng {count(line)} có một ô dài hơn {limit} ký tự"
    return refusal(str(path), what, f"{limit} ký tự mỗi ô", _FIX)
