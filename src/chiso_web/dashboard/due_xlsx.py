"""The "sắp quá hạn" list as an Excel workbook (``sap-qua-han.xlsx``), rows as on the page."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import xlsxwriter

#: (document key, Vietnamese header, column width).
COLUMNS = (
    ("dossier_code", "Mã hồ sơ", 24),
    ("unit_name", "Đơn vị", 28),
    ("procedure_code", "Mã thủ tục", 14),
    ("procedure_name", "Tên thủ tục", 48),
    ("field", "Lĩnh vực", 32),
    ("channel_label", "Hình thức nộp", 16),
    ("received_at", "Tiếp nhận", 18),
    ("due_at", "Hạn xử lý", 18),
    ("working_days_left", "Còn (ngày làm việc)", 12),
    ("points_at_stake", "Điểm có thể mất", 12),
)
TIMES = ("received_at", "due_at")


def workbook(doc: dict[str, Any]) -> bytes:
    """The document's dossiers, one row each; times are Excel dates (dd/mm/yyyy hh:mm)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Sắp quá hạn")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    points = book.add_format({"num_format": "0.00"})
    for col, (_, header, width) in enumerate(COLUMNS):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, width)
    for row, d in enumerate(doc["dossiers"], start=1):
        for col, (key, _, _) in enumerate(COLUMNS):
            value = d.get(key)
            if value is None:
                sheet.write_blank(row, col, None)
            elif key in TIMES:
                sheet.write_datetime(row, col, datetime.fromisoformat(value), when)
            elif key == "points_at_stake":
                sheet.write_number(row, col, value, points)
            elif isinstance(value, int):
                sheet.write_number(row, col, value)
            else:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(doc["dossiers"]), 1), len(COLUMNS) - 1)
    book.close()
    return out.getvalue()
