"""Check one received report: every table row, annex total and narrative statement.

Naming: a unit printed under a spelling that is not its official name (an alias
such as "Ảng Tờ" for Ẳng Tở, a bare "UBND Thị trấn") is a warning listing every
spelling and where it is printed; OCR text (no diacritics) gets one warning
instead.  Warnings never change the exit code; errors do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from chiso.checks.findings import Finding
from chiso.checks.lists import check_lists
from chiso.checks.narrative import Scored, check_classes
from chiso.checks.rows import CheckedRow, Rounding, check_rows, detect_rounding
from chiso.checks.statistics import check_statistics
from chiso.checks.text import Item, items
from chiso.domain.rounding import RoundingMode
from chiso.domain.units import UnitTree
from chiso.i18n import _
from chiso.ingest.scores.annex import AnnexTable
from chiso.ingest.scores.document import Table, read_document
from chiso.ingest.scores.names import NameResolver, Resolution
from chiso.ingest.scores.report_subject import ReportContext, read_context
from chiso.spec.loader import load_index_set

__all__ = ["CheckResult", "check_report"]


@dataclass(frozen=True)
class CheckResult:
    """The findings and what the checker assumed about the report."""

    path: str
    index_set: str
    period: str | None
    reporting_unit: str | None
    rounding: tuple[Rounding, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        """The findings of level ``error``."""
        return [f for f in self.findings if f.level == "error"]


def _scored(
    checked: Sequence[CheckedRow], resolver: NameResolver
) -> tuple[list[Scored], list[tuple[str, Resolution]], list[Finding]]:
    scored, names, findings = [], [], []
    for c in checked:
        hit = resolver.try_resolve(c.row.name)
        if hit is None:
            findings.append(
                Finding(
                    "warning",
                    "naming",
                    c.row.where,
                    _('unknown unit "{name}"').format(name=c.row.name),
                )
            )
        else:
            names.append((c.row.where, hit))
        scored.append(Scored(c, hit.unit.unit_code if hit else f"row:{c.row.where}"))
    return scored, names, findings


def _statistics_names(
    tables: Sequence[Table], resolver: NameResolver
) -> list[tuple[str, Resolution]]:
    """Unit names printed in the fee and digitisation annexes."""
    out = []
    for table in tables:
        for row in table.rows:
            if row.cells and row.cells[0].isdigit() and len(row.cells) > 1:
                hit = resolver.try_resolve(row.cells[1])
                if hit is not None:
                    out.append((row.where, hit))
    return out


def _naming(names: Sequence[tuple[str, Resolution]], *, ocr: bool) -> list[Finding]:
    if ocr:
        return []
    by_unit: dict[str, list[tuple[str, Resolution]]] = {}
    for where, r in names:
        by_unit.setdefault(r.unit.unit_code, []).append((where, r))
    out = []
    for uses in by_unit.values():
        if all(r.official for _, r in uses):
            continue
        spellings: dict[str, str] = {}
        for where, r in uses:
            spellings.setdefault(r.printed, where)
        listed = "; ".join(f'"{p}" ({w})' for p, w in spellings.items())
        unit = uses[0][1].unit
        out.append(Finding(
            "warning", "naming", uses[0][0],
            _("{unit} is printed {spellings}").format(unit=unit.name, spellings=listed),
        ))  # fmt: skip
    return out


def _check_table(
    ctx: ReportContext,
    table: AnnexTable,
    *,
    ocr: bool,
    rounding: RoundingMode | None,
    narrative: list[Item],
) -> tuple[Rounding, list[Finding], list[tuple[str, Resolution]]]:
    detected = detect_rounding(table, default=ctx.index_set.rounding_mode)
    used = Rounding(rounding, detected.decimals) if rounding else detected
    checked, findings = check_rows(table, used, ocr=ocr)
    scored, names, unknown = _scored(checked, ctx.resolver)
    classes, class_names = check_classes(narrative, table, scored, ctx.resolver)
    lists, list_names_ = check_lists(narrative, table, scored, ctx.resolver)
    return used, findings + unknown + classes + lists, names + class_names + list_names_


def check_report(
    path: Path,
    *,
    index_set: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    rounding: RoundingMode | None = None,
    tree: UnitTree | None = None,
) -> CheckResult:
    """Recompute a received report and list its inconsistencies.

    Args:
        index_set: id or path; detected from the table header when absent.
        period, unit: the period evaluated and the reporting unit, when the
            document does not print them clearly.
        rounding: the report's rounding mode; detected from the converted column
            when absent.

    Raises:
        UserError: the file cannot be read or holds no score table.
    """
    document = read_document(path)
    chosen = load_index_set(index_set) if index_set else None
    ctx = read_context(
        document, tree=tree or UnitTree.dienbien(), index_set=chosen, period=period, unit=unit
    )
    narrative = items(document.lines)
    findings: list[Finding] = []
    names: list[tuple[str, Resolution]] = []
    roundings = []
    for table in ctx.tables:
        used, more, more_names = _check_table(
            ctx, table, ocr=document.ocr, rounding=rounding, narrative=narrative
        )
        roundings.append(used)
        findings += more
        names += more_names
    score_tables = {t.where for t in ctx.tables}
    others = [t for t in document.tables if t.where not in score_tables]
    findings += check_statistics(others, narrative)
    names += _statistics_names(others, ctx.resolver)
    if document.ocr:
        findings.insert(0, Finding(
            "warning", "ocr", document.path,
            _("OCR text without Vietnamese diacritics: names matched by similarity, "
              "decimal marks restored where a number exceeds its maximum"),
        ))  # fmt: skip
    findings += _naming(names, ocr=document.ocr)
    return CheckResult(
        str(path), ctx.index_set.id, ctx.period.code if ctx.period else None, ctx.within,
        tuple(roundings), tuple(findings),
    )  # fmt: skip
