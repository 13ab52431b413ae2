"""The optional annex "Phụ lục: hồ sơ cần rà soát": the anomaly findings of the report's
units (``chiso.anomalies``), off by default (``chiso report --anomalies``).

Each row is one finding — the unit, the rule's question, the count and the first dossier
codes — with its "đã giải trình" note when the site has one.  Findings inform, never
score: the annex is appended after the scored annexes and nothing in them changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from chiso.anomalies import AnomalyReport, RuleSet, find_anomalies
from chiso.domain.periods import Period
from chiso.domain.units import Unit, UnitTree
from chiso.storage.store import Store

__all__ = ["REVIEW_TITLE", "ReviewAnnex", "ReviewRow", "append_review", "review_annex"]

REVIEW_TITLE = "Phụ lục: hồ sơ cần rà soát"
SHOWN_CODES = 5
HEADERS = ("TT", "Đơn vị", "Câu hỏi", "Số", "Hồ sơ đầu tiên", "Giải trình")
SEVERITY = {"high": "cao", "medium": "trung bình", "low": "thấp"}


@dataclass(frozen=True)
class ReviewRow:
    """One finding as the annex prints it."""

    unit: str
    question: str
    severity: str
    count: int
    codes: tuple[str, ...]
    explained: str = ""


@dataclass(frozen=True)
class ReviewAnnex:
    """The findings of the report's units in the period (empty: a sentence says so)."""

    title: str
    note: str
    rows: tuple[ReviewRow, ...]


def review_annex(
    report: AnomalyReport,
    names: Mapping[str, str],
    explained: Mapping[tuple[str, str], str] | None = None,
) -> ReviewAnnex:
    """The annex of ``report`` (``names``: unit names; ``explained``: notes by unit code
    and rule id)."""
    notes = explained or {}
    rows = tuple(
        ReviewRow(
            unit=names.get(f.unit_code, f.unit_code),
            question=f.question,
            severity=SEVERITY[f.rule.severity.value],
            count=f.count,
            codes=tuple(dict.fromkeys(r.dossier_code for r in f.records))[:SHOWN_CODES],
            explained=notes.get((f.unit_code, f.rule.id), ""),
        )
        for found in report.by_unit().values()
        for f in found
    )
    note = (
        f"Các điểm dữ liệu dưới đây được phát hiện tự động trong {report.period.label} để "
        "đơn vị rà soát, giải trình; không điểm nào làm thay đổi điểm số của Bộ chỉ số."
    )
    return ReviewAnnex(REVIEW_TITLE, note, rows)


def review_of(
    store: Store,
    tree: UnitTree,
    units: list[Unit],
    period: Period,
    rules: RuleSet,
    explained: Mapping[tuple[str, str], str] | None = None,
) -> ReviewAnnex:
    """Run the rules over ``units`` and their subtrees in ``period`` and build the annex."""
    codes = {d.unit_code for u in units for d in tree.descendants(u.unit_code, include_self=True)}
    report = find_anomalies(store, period, rules, units=codes, limit=SHOWN_CODES)
    return review_annex(report, {u.unit_code: u.name for u in tree}, explained)


def append_review(document: Document, review: ReviewAnnex) -> None:
    """Append the annex on a new page at the end of a rendered report."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(review.title.upper())
    run.bold = True
    document.add_paragraph(review.note).runs[0].italic = True
    if not review.rows:
        document.add_paragraph("Không có điểm dữ liệu nào cần rà soát trong kỳ.")
        return
    table = document.add_table(rows=1, cols=len(HEADERS))
    _borders(table)
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for n, row in enumerate(review.rows, start=1):
        values = (
            str(n),
            row.unit,
            f"{row.question} (mức {row.severity})",
            f"{row.count:,}".replace(",", "."),
            ", ".join(row.codes),
            row.explained,
        )
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    for line in table.rows:
        for cell in line.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)


def _borders(table: object) -> None:
    """Single borders on every cell (the template may have no table style)."""
    properties = table._tbl.tblPr  # type: ignore[attr-defined]  # python-docx internals
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    properties.append(borders)
