"""The indicator drill-down for an officer: the records' filters (progress, procedure),
each cell as the page shows it (text and the machine value it sorts by), and the Excel
workbook of every record (``don-vi/<unit>/chi-so/<indicator>.xlsx``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from chiso.api import PROGRESS, ProgressCode, value_label
from chiso.errors import UserError
from chiso_web.dashboard.templatetags.chiso import machine, vn
from chiso_web.dashboard.xlsx import Column, Kind, workbook
from chiso_web.public.templatetags.published import vn_time

#: Columns whose values are counts or amounts (sorted as numbers, numbers in Excel).
NUMBERS = frozenset({"late_working_days", "supplement_count", "fee_amount"})
WIDTHS = {"dossier_code": 24, "procedure_name": 44, "progress": 26, "receiving_point": 28}
#: The document's two lists: (code, rows' key, their total's key, title).
LISTS = (
    ("costing", "costing_points", "records_costing_points", gettext_lazy("Lost points")),
    ("counted", "counted", "records_counted", gettext_lazy("Counted")),
)


@dataclass(frozen=True)
class RecordFilters:
    """``progress`` (a state's code) and ``procedure`` (text in its code or name)."""

    progress: ProgressCode | None = None
    procedure: str | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> RecordFilters:
        """The filters of the query string; an unknown state is a user error."""
        progress = request.GET.get("progress") or None
        if progress is not None and progress not in PROGRESS:
            raise UserError(
                gettext("progress %(progress)s is not valid") % {"progress": repr(progress)},
                hint=gettext("use: %(codes)s") % {"codes": ", ".join(PROGRESS)},
            )
        procedure = (request.GET.get("procedure") or "").strip() or None
        return cls(cast("ProgressCode | None", progress), procedure)

    def keep(self) -> Callable[[dict[str, Any]], bool] | None:
        """The row filter for :func:`chiso.api.explain` (None: every row)."""
        if self.progress is None and self.procedure is None:
            return None
        text = (self.procedure or "").casefold()

        def keep(row: dict[str, Any]) -> bool:
            if self.progress is not None and row.get("progress") != self.progress:
                return False
            names = (row.get("procedure_code") or "", row.get("procedure_name") or "")
            return not text or any(text in str(n).casefold() for n in names)

        return keep

    def query(self) -> dict[str, str]:
        """The filters as query parameters."""
        out = {"progress": self.progress, "procedure": self.procedure}
        return {k: v for k, v in out.items() if v}


def cell(doc: dict[str, Any], column: str, value: Any) -> tuple[str, str]:
    """A record's value as the page shows it and as it sorts (``data-value``)."""
    if value is None or value == "":
        return "", ""
    if value is True or value is False:
        text = gettext("Yes") if value else gettext("No")
        return text, text
    if column in NUMBERS:
        return (vn(value, 0), machine(value))
    if column.endswith("_at"):
        return vn_time(value), str(value)
    if column == "receiving_point":
        name = doc["receiving_point_names"].get(value, value)
        return name, name
    text = value_label(column, value)
    return text, text


def tables(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's two lists: rows of cells (label, text, value) under the headers."""
    labels = doc["column_labels"]
    out = []
    for code, key, total_key, title in LISTS:
        rows, total = doc[key], doc[total_key]
        shown = []
        for row in rows:
            cells = [(labels[c], *cell(doc, c, row.get(c))) for c in doc["columns"]]
            shown.append({"dossier_code": row.get("dossier_code"), "cells": cells})
        out.append({"id": f"{code}-table", "code": code, "title": str(title), "rows": shown,
                    "total": total, "cut": total > len(rows)})  # fmt: skip
    return out


def _kind(column: str) -> Kind:
    if column in NUMBERS:
        return "number"
    return "time" if column.endswith("_at") else "text"


def excel(doc: dict[str, Any], cap: int) -> bytes:
    """Both lists in one sheet, the list's name first; a note when a list was cut at
    ``cap`` records."""
    columns = [Column("_list", gettext("List"), 16)] + [
        Column(c, doc["column_labels"][c], WIDTHS.get(c, 18), _kind(c)) for c in doc["columns"]
    ]
    rows = []
    for _code, key, _total, title in LISTS:
        for record in doc[key]:
            row: dict[str, Any] = {"_list": str(title)}
            for c in doc["columns"]:
                value = record.get(c)
                plain = _kind(c) != "text" and not isinstance(value, bool)
                row[c] = value if plain else cell(doc, c, value)[0]
            rows.append(row)
    costing, counted = doc["records_costing_points"], doc["records_counted"]
    note = ""
    if any(doc[total] > len(doc[key]) for _code, key, total, _title in LISTS):
        note = gettext(
            "Each list stops at its first %(cap)s records: %(costing)s cost points, "
            "%(counted)s counted."
        ) % {"cap": cap, "costing": costing, "counted": counted}
    return workbook(doc["label"], columns, rows, note=note)
