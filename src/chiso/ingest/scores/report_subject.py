"""What a received report is about: index set, period, date and reporting unit.

Read from the document where the caller does not say: the period from "tháng 11
năm 2024" (or "năm 2022"), never from the report's own date line ("ngày … tháng
12 năm 2024"); the date names are resolved on from the period's last day (or
the report date); the reporting unit is the district (or the province) whose
units the table names; the index set from the header ("Tiêu chí" → NĐ 61).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from chiso.domain.periods import Period, parse_period
from chiso.domain.unit_names import fold_diacritics
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.scores.annex import AnnexTable, read_score_tables
from chiso.ingest.scores.document import Document
from chiso.ingest.scores.names import NameResolver, detect_scope
from chiso.spec.canonical import IndexSet
from chiso.spec.loader import load_index_set

__all__ = ["ReportContext", "read_context"]

#: "tháng 11 năm 2024" (OCR: "thang 12 nim 2023"), unless it is the date line ("ngày …").
_MONTH = re.compile(r"(ngay\s*\d{0,2}\s*)?thang\s+(\d{1,2})\s+n\wm\s+(\d{4})")
_YEAR = re.compile(r"\bn\wm\s+(\d{4})")
_DATE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+n\wm\s+(\d{4})")


@dataclass(frozen=True)
class ReportContext:
    """Everything needed to read a report's tables and names."""

    index_set: IndexSet
    period: Period | None
    on: date
    within: str | None
    resolver: NameResolver
    tables: tuple[AnnexTable, ...]


def _folded_text(document: Document) -> str:
    head = " ".join(ln.text for ln in document.lines)
    titles = " ".join(t.title for t in document.tables)
    return fold_diacritics(f"{head} {titles}").lower()


def find_period(document: Document) -> Period | None:
    """The evaluated month (or year) printed in the report, if any."""
    text = _folded_text(document)
    for match in _MONTH.finditer(text):
        if not match.group(1) and 1 <= int(match.group(2)) <= 12:
            return Period.of_month(int(match.group(3)), int(match.group(2)))
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 14) : match.start()]
        if "thang" not in before and "ngay" not in before:
            return Period.of_year(int(match.group(1)))
    return None


def _report_date(document: Document) -> date | None:
    for match in _DATE.finditer(_folded_text(document)):
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _index_set_for(document: Document) -> IndexSet:
    head = " ".join(" ".join(r.cells) for t in document.tables for r in t.rows[:6])
    nd61 = "tieu chi" in fold_diacritics(head).lower()
    return load_index_set("nd61-tt01-2018" if nd61 else "dienbien-459-2023")


def read_context(
    document: Document,
    *,
    tree: UnitTree,
    index_set: IndexSet | None = None,
    period: str | None = None,
    unit: str | None = None,
) -> ReportContext:
    """Detect (or take) the index set, period, date and reporting unit of ``document``.

    Raises:
        UserError: no score table, no date to resolve names on, unknown reporting unit.
    """
    chosen = index_set or _index_set_for(document)
    tables = tuple(read_score_tables(document, chosen))
    found = parse_period(period) if period else find_period(document)
    if found is not None:
        on = found.last_day
    else:
        reported = _report_date(document)
        if reported is None:
            raise UserError(
                _("{path}: neither the period nor the report date is printed").format(
                    path=document.path
                ),
                hint=_("give the period evaluated, e.g. --period 2024-10"),
            )
        on = reported
    names = [r.name for t in tables for r in t.rows]
    within = tree.resolve(unit, on=on).unit_code if unit else None
    if within is None:
        within = detect_scope(tree, names, on=on, ocr=document.ocr)
    resolver = NameResolver(tree, on=on, within=within, ocr=document.ocr)
    return ReportContext(chosen, found, on, within, resolver, tables)
