"""Spreadsheet cell values as the text cells every reader hands to the importer.

Text stays exactly as the file holds it (NFC, trimming and blank → null are done once
per column by ``convert.clean_text``); numbers are written with a decimal comma so that
the Vietnamese number parser reads them unambiguously, and dates as ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

__all__ = ["cell_text", "number_text"]


def cell_text(value: Any) -> str | None:
    """One spreadsheet cell as text (see the module docstring).

    Examples:
        >>> cell_text(" Xã Mường Phăng "), cell_text(1229100.0), cell_text(98.32)
        (' Xã Mường Phăng ', '1229100', '98,32')
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        return str(value)
    return str(value)


def number_text(raw: str) -> str:
    """The text of a number cell as an .xlsx file stores it (``<v>`` content).

    Raises:
        ValueError: ``raw`` is not a number.

    Examples:
        >>> number_text("46023.5"), number_text("1229100"), number_text("1E-05")
        ('46023,5', '1229100', '1e-05')
    """
    return str(cell_text(float(raw)))
