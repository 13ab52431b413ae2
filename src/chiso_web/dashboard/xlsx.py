"""A list of rows as an Excel workbook (XlsxWriter): one sheet, typed columns, the
header frozen and filterable; the "sắp quá hạn" list and the indicator drill-down write
theirs with it."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import xlsxwriter

#: ``time``: ISO text or a datetime, written as an Excel date (dd/mm/yyyy hh:mm);
#: ``points``: a number with 2 decimals; ``number``: a whole number or an amount (a
#: decimal's JSON text too); ``text``: text.
Kind = Literal["text", "number", "points", "time"]
FORMATS: Mapping[str, Mapping[str, Any]] = {
    "time": {"num_format": "dd/mm/yyyy hh:mm"},
    "points": {"num_format": "0.00"},
    "number": {"num_format": "#,##0"},
}
INVALID_SHEET_CHARACTERS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Column:
    """A column: the rows' key, its header (the site's language), width and kind."""

    key: str
    header: Any  # str or a lazy translation
    width: int
    kind: Kind = "text"


def workbook(
    title: str, columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], *, note: str = ""
) -> bytes:
    """``rows`` under ``columns`` in a sheet named ``title``; ``note`` (when given) two
    rows below the last one — say there that a list was cut."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    name = title.translate(INVALID_SHEET_CHARACTERS).strip("' ")[:31] or "Sheet1"
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = {kind: book.add_format(dict(spec)) for kind, spec in FORMATS.items()}
    for col, column in enumerate(columns):
        sheet.write_string(0, col, str(column.header), bold)
        sheet.set_column(col, col, column.width)
    for row, values in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            _write(sheet, row, col, column.kind, values.get(column.key), formats)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    if note:
        sheet.write_string(len(rows) + 2, 0, note)
    book.close()
    return out.getvalue()


def _write(sheet: Any, row: int, col: int, kind: Kind, value: Any, formats: Any) -> None:
    if value is None or value == "":
        sheet.write_blank(row, col, None)
    elif kind == "time":
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        sheet.write_datetime(row, col, when, formats["time"])
    elif kind in ("number", "points") and not isinstance(value, bool):
        sheet.write_number(row, col, float(value), formats[kind])
    else:
        sheet.write_string(row, col, str(value))
