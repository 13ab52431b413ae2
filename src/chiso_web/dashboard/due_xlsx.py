"""The "sắp quá hạn" list as an Excel workbook (``sap-qua-han.xlsx``), rows as on the page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy

from chiso_web.dashboard.xlsx import Column
from chiso_web.dashboard.xlsx import workbook as write

#: The headers follow the site's language.
COLUMNS = (
    Column("dossier_code", gettext_lazy("Dossier code"), 24),
    Column("unit_name", gettext_lazy("Unit"), 28),
    Column("procedure_code", gettext_lazy("Procedure code"), 14),
    Column("procedure_name", gettext_lazy("Procedure name"), 48),
    Column("field", gettext_lazy("Field"), 32),
    Column("channel_label", gettext_lazy("Channel"), 16),
    Column("received_at", gettext_lazy("Received"), 18, "time"),
    Column("due_at", gettext_lazy("Due date"), 18, "time"),
    Column("working_days_left", gettext_lazy("Left (working days)"), 12, "number"),
    Column("points_at_stake", gettext_lazy("Points at stake"), 12, "points"),
)


def workbook(doc: dict[str, Any]) -> bytes:
    """The document's dossiers, one row each; times are Excel dates (dd/mm/yyyy hh:mm)."""
    return write(gettext("Due soon"), COLUMNS, doc["dossiers"])
