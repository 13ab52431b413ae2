"""The refusals of a CSV file over a bound (issue #14), the same from either CSV reader.

``sources`` reads CSV with Python's ``csv`` module, ``csv_columns`` with Arrow; both
refuse a file with too many rows, a physical line too long or a cell too long with
these Vietnamese errors, naming the file and the line as the user's editor numbers it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.ingest.limits import MAX_CSV_LINE_CHARS, MAX_CSV_ROWS, count, refusal

__all__ = ["cell_too_long", "line_too_long", "too_many_rows"]

_FIX = N_("open the file in Excel or LibreOffice, check that line and save it again as CSV UTF-8")
_SPLIT = N_("split the file into smaller files and import them one by one")


def too_many_rows(path: Path, limit: int = MAX_CSV_ROWS) -> UserError:
    """A record starts on a line past ``limit``."""
    what = _("has more than {limit} lines").format(limit=count(limit))
    return refusal(str(path), what, _("{limit} lines").format(limit=count(limit)), _(_SPLIT))


def line_too_long(path: Path, line: int, limit: int = MAX_CSV_LINE_CHARS) -> UserError:
    """Physical line ``line`` holds more than ``limit`` characters."""
    what = _("line {line} is longer than {limit} characters").format(
        line=count(line), limit=count(limit)
    )
    per_line = _("{limit} characters a line").format(limit=count(limit))
    return refusal(str(path), what, per_line, _(_FIX))


def cell_too_long(path: Path, line: int) -> UserError:
    """A cell of the record ending on ``line`` is longer than ``csv`` accepts."""
    limit = count(csv.field_size_limit())
    what = _("line {line} has a cell longer than {limit} characters").format(
        line=count(line), limit=limit
    )
    return refusal(str(path), what, _("{limit} characters a cell").format(limit=limit), _(_FIX))
