"""The reconciliation as an Excel workbook (``doi-chieu.xlsx``), one row per unit × group.

Built from the JSON document (:meth:`chiso.portal.reconcile.Reconciliation.to_json`), so
the CLI (``chiso reconcile --format xlsx``) and the site's export write the same sheet.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

__all__ = ["STATUS_WORDS", "workbook"]

#: Status code → the words a reader sees.
STATUS_WORDS = {
    "equal": "khớp",
    "differs": "lệch",
    "missing_ours": "hệ thống tỉnh không có điểm",
    "missing_portal": "Cổng không có điểm",
}

#: (document key, Vietnamese header, column width).
COLUMNS = (
    ("unit_name", "Đơn vị", 32),
    ("portal_code", "Nhóm", 10),
    ("ours", "Hệ thống tỉnh", 12),
    ("portal", "Cổng DVC quốc gia", 12),
    ("difference", "Chênh lệch", 12),
    ("status", "Trạng thái", 18),
    ("cause", "Nguyên nhân có thể", 30),
    ("notes", "Ghi chú", 60),
)
NUMBERS = ("ours", "portal", "difference")


def workbook(doc: dict[str, Any]) -> bytes:
    """The document's rows; points with 2 decimals, notes joined by "; "."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Đối chiếu")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    points = book.add_format({"num_format": "0.00"})
    for col, (_, header, width) in enumerate(COLUMNS):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, width)
    for row, line in enumerate(doc["rows"], start=1):
        for col, (key, _, _) in enumerate(COLUMNS):
            value = line.get(key)
            if key == "status":
                value = STATUS_WORDS[value]
            elif key == "notes":
                value = "; ".join(value)
            if value is None or value == "":
                sheet.write_blank(row, col, None)
            elif key in NUMBERS:
                sheet.write_number(row, col, value, points)
            else:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(doc["rows"]), 1), len(COLUMNS) - 1)
    book.close()
    return out.getvalue()
