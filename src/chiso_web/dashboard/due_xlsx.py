"""The "sắp quá hạn" list as an Excel workbook (``sap-qua-han.xlsx``), rows as on the page."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import xlsxwriter
from django.utils.translation import gettext, gettext_lazy

#: (document key, header, column width): the headers follow the site's language.
COLUMNS = (
    ("dossier_code", gettext_lazy("Dossier code"), 24),
    ("unit_name", gettext_lazy("Unit"), 28),
    ("procedure_code", gettext_lazy("Procedure code"), 14),
    ("procedure_name", gettext_lazy("Procedure name"), 48),
    ("field", gettext_lazy("Field"), 32),
    ("channel_label", gettext_lazy("Channel"), 16),
    ("received_at", gettext_lazy("Received"), 18),
    ("due_at", gettext_lazy("Due date"), 18),
    ("working_days_left", gettext_lazy("Left (working days)"), 12),
    ("points_at_stake", gettext_lazy("Points at stake"), 12),
)
TIMES = ("received_at", "due_at")


def workbook(doc: dict[str, Any]) -> bytes:
    """The document's dossiers, one row each; times are Excel dates (dd/mm/yyyy hh:mm)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(gettext("Due soon"))
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    points = book.add_format({"num_format": "0.00"})
    for col, (_, header, width) in enumerate(COLUMNS):
        sheet.write_string(0, col, str(header), bold)
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
