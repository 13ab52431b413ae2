"""Put a report together: choose the units, score, count, build, write the files.

Used by ``chiso report`` and ``chiso demo``.  Two sources: a store of dossier
records (scores, statistics and the previous period are computed) or received
annex files (reported scores, optional fee and digitisation tables).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from chiso.anomalies import RuleSet
from chiso.domain.periods import Period
from chiso.domain.units import Unit, UnitTree
from chiso.engine.goalseek import plan_units
from chiso.engine.reported import score_reported
from chiso.engine.results import ResultSet
from chiso.engine.runner import Level, score
from chiso.errors import UserError
from chiso.i18n import _
from chiso.reports.facts import Facts, facts_from_store
from chiso.reports.inputs import read_digitisation, read_fees, read_scores, read_staff_average
from chiso.reports.profile import ReportProfile
from chiso.reports.report_data import ReportContext, ReportOptions, build_report
from chiso.reports.review import review_of
from chiso.spec.canonical import IndexSet
from chiso.storage.private import FILE_MODE, FOLDER_MODE
from chiso.storage.store import Store
from chiso.storage.unitdata import tree_of

__all__ = ["ReportFiles", "evaluated_units", "from_reported", "from_store", "write_report"]

FORMATS = ("docx", "xlsx", "pdf")


def _last_day(period: Period) -> date:
    return period.last_day


def is_annual(index_set: IndexSet) -> bool:
    """The NĐ 61 nine-criteria model (classes on the total) has its own annual report."""
    return index_set.classification_basis == "total"


def _annual(
    results: ResultSet,
    index_set: IndexSet,
    issuer: Unit,
    period: Period,
    *,
    profile: ReportProfile,
    options: ReportOptions,
    staff: dict[str, Decimal] | None = None,
) -> ReportContext:
    from chiso.reports.annual import build_annual_report

    return build_annual_report(
        results,
        index_set,
        issuer=issuer,
        profile=profile,
        staff_average=staff,
        options=options,
        year=_last_day(period).year,
    )


def evaluated_units(tree: UnitTree, issuer: Unit, period: Period) -> list[Unit]:
    """The issuer's direct children valid in the period, or the issuer alone."""
    on = _last_day(period)
    children = [u for u in tree.children(issuer.unit_code, on=on) if u.is_valid_on(on)]
    return children or [issuer]


def resolve_issuer(tree: UnitTree, ref: str, period: Period) -> Unit:
    """The issuing unit named by code or name, as of the period's last day."""
    return tree.get(ref) if ref in tree else tree.resolve(ref, on=_last_day(period))


def from_store(
    store: Store,
    index_set: IndexSet,
    period: Period,
    unit_ref: str,
    *,
    profile: ReportProfile,
    options: ReportOptions,
    compare: bool = True,
    anomalies: RuleSet | None = None,
    explained: Mapping[tuple[str, str], str] | None = None,
) -> ReportContext:
    """Score the issuer's units for the period (and the previous one) and build the report.

    Args:
        anomalies: with these rules, add the annex "Phụ lục: hồ sơ cần rà soát" of the
            units' findings (``explained``: "đã giải trình" notes by unit code and rule).
    """
    tree = tree_of(store)
    issuer = resolve_issuer(tree, unit_ref, period)
    units = evaluated_units(tree, issuer, period)
    periods = [period, period.previous()] if compare else [period]
    level = Level("units", tuple(u.unit_code for u in units))
    results = score(store, index_set, periods, level=level, tree=tree)
    if is_annual(index_set):
        ctx = _annual(results[0], index_set, issuer, period, profile=profile, options=options)
    else:
        names = {u.unit_code: u.name for u in results[0].units}
        facts = facts_from_store(store, period, names)
        if period.as_of < period.end:  # still running: what each unit can still do
            scored = [u for u in units if results[0].unit(u.unit_code).scored]
            facts = replace(facts, plans=tuple(plan_units(store, index_set, period, scored)))
        ctx = build_report(
            results[0],
            index_set,
            issuer=issuer,
            profile=profile,
            facts=facts,
            previous=results[1] if compare else None,
            options=options,
            month_of=period.end.date(),
        )
    if anomalies is None:
        return ctx
    return replace(ctx, review=review_of(store, tree, units, period, anomalies, explained))


def from_reported(
    scores: Path,
    index_set: IndexSet,
    period: Period,
    unit_ref: str,
    *,
    profile: ReportProfile,
    options: ReportOptions,
    fees: Path | None = None,
    digitisation: Path | None = None,
    printed_total: bool = False,
    tree: UnitTree | None = None,
) -> ReportContext:
    """Build the report from received annex files (no dossier records)."""
    tree = tree or UnitTree.dienbien()
    issuer = resolve_issuer(tree, unit_ref, period)
    on, within = _last_day(period), issuer.unit_code
    rows = read_scores(scores, index_set, tree, on=on, within=within)
    if not rows:
        raise UserError(_("{scores} has no unit row").format(scores=scores))
    results = score_reported(
        index_set,
        rows,
        period=period.code,
        period_label=period.label,
        use_printed_total=printed_total,
    )
    if is_annual(index_set):
        staff = read_staff_average(scores, tree, on=on, within=within)
        return _annual(
            results, index_set, issuer, period, profile=profile, options=options, staff=staff
        )
    facts = Facts(
        fees=read_fees(fees, tree, on=on, within=within) if fees else None,
        digitisation=read_digitisation(digitisation, tree, on=on, within=within)
        if digitisation
        else None,
    )
    return build_report(
        results,
        index_set,
        issuer=issuer,
        profile=profile,
        facts=facts,
        options=options,
        month_of=period.end.date(),
    )


@dataclass(frozen=True)
class ReportFiles:
    """The files written for one report."""

    docx: Path | None = None
    xlsx: Path | None = None
    pdf: Path | None = None

    def paths(self) -> list[Path]:
        """Every written file."""
        return [p for p in (self.docx, self.xlsx, self.pdf) if p is not None]


def write_report(
    ctx: ReportContext,
    out_dir: Path,
    stem: str,
    formats: tuple[str, ...],
    *,
    template: Path,
) -> ReportFiles:
    """Write the requested formats (pdf implies the docx it is converted from)."""
    from chiso.reports.docx import write_docx
    from chiso.reports.pdf import to_pdf
    from chiso.reports.xlsx import write_xlsx

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UserError(
            _("unknown format(s) {names}").format(names=", ".join(unknown)),
            hint=_("docx, xlsx, pdf"),
        )
    out_dir.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    docx = xlsx = pdf = None
    if "docx" in formats or "pdf" in formats:
        docx = write_docx(ctx, template, out_dir / f"{stem}.docx")
    if "xlsx" in formats:
        xlsx = write_xlsx(ctx, out_dir / f"{stem}-phu-luc.xlsx")
    if "pdf" in formats and docx is not None:
        pdf = to_pdf(docx, out_dir)
    for written in (docx, xlsx, pdf):
        if written is not None:
            os.chmod(written, FILE_MODE)  # reports name units and officers: private
    return ReportFiles(docx, xlsx, pdf)
