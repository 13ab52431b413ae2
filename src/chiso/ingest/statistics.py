"""Aggregate statistics in: per-unit monthly counts become dossier rows the engine scores.

Some units have only the counts of a statistics page (received, finished early / on
time / late, in progress, online, paid online, digitised…).  Each unit's month is
expanded into that many canonical dossiers (codes ``TK-<unit>-<yyyymm>-<n>``) whose
dates and flags reproduce every count, so indicators that are a ratio of one count
to another are scored exactly as with dossier-level data.  Re-importing a month
replaces the unit's expanded rows as a whole.

Indicators it can feed (documented in ``docs/import.md``): under QĐ 459 ``ck_cs2``
(synced), ``tien_do``, ``dvtt_cs1``, ``dvtt_cs2``, ``sohoa_cs1``, ``sohoa_cs2`` and
``hailong_cs3`` (with ``rated``/``dissatisfied``); not the petition indicators
(import petitions instead), nor any indicator that joins two counts of one dossier
(e.g. "online and on time"), which counts cannot express.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from chiso.domain.periods import Period, PeriodKind, parse_period
from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.importer import (
    Context,
    ImportResult,
    profiles_for,
    read_file,
    unit_tree,
)
from chiso.ingest.issues import ImportRejectedError, RowIssue, write_rejects
from chiso.ingest.resolve import ProcedureLookup, UnitLookup
from chiso.storage.source import DataSource
from chiso.storage.targets import Diff
from chiso.storage.writer import commit_rows

__all__ = ["FEE_PROCEDURE", "FREE_PROCEDURE", "StatisticsResult", "expand", "import_statistics"]

FEE_PROCEDURE = "TK-CO-PHI"
FREE_PROCEDURE = "TK-KHONG-PHI"
_PROCEDURES = [
    {"procedure_code": FEE_PROCEDURE, "name": "Hồ sơ từ số liệu thống kê (có phí, lệ phí)",
     "field": "Số liệu thống kê", "level": None, "online_level": "full", "has_fee": True,
     "time_limit_days": None, "paper_result": None},
    {"procedure_code": FREE_PROCEDURE, "name": "Hồ sơ từ số liệu thống kê (không có phí)",
     "field": "Số liệu thống kê", "level": None, "online_level": "full", "has_fee": False,
     "time_limit_days": None, "paper_result": None},
]  # fmt: skip
#: Count ≤ base, checked per row: (count, base or a tuple of bases summed, sentence).
LIMITS = (
    ("online", "received", "more online dossiers than received"),
    ("fee_dossiers", "received", "more dossiers with a fee than received"),
    ("paid_online", "fee_dossiers", "more paid online than dossiers with a fee"),
    ("digitized", "received", "more digitised at intake than received"),
    ("synced", "received", "more synced than received"),
    ("result_digitized", "finished", "more results digitised than dossiers finished"),
    ("rated", "finished", "more ratings than dossiers finished"),
    ("dissatisfied", "rated", "more dissatisfied ratings than ratings"),
)
FINISH_KINDS = ("finished_early", "finished_on_time", "finished_late")
OPEN_KINDS = ("in_progress", "in_progress_overdue")


@dataclass
class StatisticsResult:
    """What a statistics import read and changed."""

    rows: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    dossiers: Diff = field(default_factory=Diff)
    ratings: Diff = field(default_factory=Diff)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def _row_problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    counts = {k: int(v or 0) for k, v in row.items() if k != "unit_code"}
    counts["finished"] = sum(counts[k] for k in FINISH_KINDS)
    handled = counts["carried_over"] + counts["received"]
    parts = counts["finished"] + sum(counts[k] for k in OPEN_KINDS)
    problems = []
    if handled != parts:
        problems.append(
            (
                "received",
                f"carried over + received = {handled}, finished + in progress = {parts}",
            )
        )
    for count, base, sentence in LIMITS:
        if counts[count] > counts[base]:
            problems.append((count, f"{sentence} ({counts[count]} > {counts[base]})"))
    return problems


def _dates(kind: str, month: Period) -> tuple[datetime, datetime | None]:
    """(due, finished) reproducing early / on time / late / open / overdue in ``month``."""
    first = month.start.date()
    day = {n: first + timedelta(days=n - 1) for n in (2, 5, 20, 25)}
    next_month = month.end.date() + timedelta(days=9)
    if kind == "finished_early":
        return _at(day[20], 17), _at(day[2], 9)
    if kind == "finished_on_time":
        return _at(day[20], 17), _at(day[20], 9)
    if kind == "finished_late":
        return _at(day[5], 17), _at(day[25], 9)
    if kind == "in_progress":
        return _at(next_month, 17), None
    return _at(day[5], 17), None


def expand(row: dict[str, Any], month: Period) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The dossiers (and ratings) of one unit's month of counts."""
    c = {k: int(v or 0) for k, v in row.items() if k != "unit_code"}
    unit, stamp = row["unit_code"], f"{month.start:%Y%m}"
    kinds = [k for k in (*FINISH_KINDS, *OPEN_KINDS) for _ in range(c[k])]
    first = month.start.date()
    dossiers, ratings = [], []
    for n, kind in enumerate(kinds):
        carried = n < c["carried_over"]
        i = n - c["carried_over"]  # index among the dossiers received in the month
        due, finished = _dates(kind, month)
        fee = not carried and i < c["fee_dossiers"]
        dossiers.append({
            "dossier_code": f"TK-{unit}-{stamp}-{n + 1:05d}",
            "unit_code": unit,
            "procedure_code": FEE_PROCEDURE if fee else FREE_PROCEDURE,
            "channel": "online" if not carried and i < c["online"] else "direct",
            "received_at": _at(first - timedelta(days=1) if carried else first, 8),
            "due_at": due, "finished_at": finished, "returned_at": None,
            "status": "finished" if finished else "processing",
            "supplement_count": 0,
            "fee_amount": None,
            "payment": ("online" if i < c["paid_online"] else "direct") if fee else "none",
            "components_digitized": not carried and i < c["digitized"],
            "result_digitized": False,
            "reused_data": False,
            "synced": not carried and i < c["synced"],
        })  # fmt: skip
    finished_rows = [d for d in dossiers if d["finished_at"] is not None]
    for j, d in enumerate(finished_rows):
        d["result_digitized"] = j < c["result_digitized"]
        if j < c["rated"]:
            rated_at = d["finished_at"] + timedelta(hours=1)
            satisfied = j >= c["dissatisfied"]
            ratings.append({"dossier_code": d["dossier_code"], "rated_at": rated_at,
                            "channel": "statistics", "satisfied": satisfied})  # fmt: skip
    return dossiers, ratings


def import_statistics(
    files: list[Path],
    into: str,
    *,
    period: str,
    profile: str | None = None,
    dry_run: bool = False,
    rejects: Path | None = None,
) -> StatisticsResult:
    """Import monthly per-unit counts from ``files`` for the month ``period``."""
    month = parse_period(period)
    if month.kind is not PeriodKind.MONTH:
        raise UserError(
            _("statistics are imported per month, not “{period}”").format(period=period),
            hint=_("use --period 2026-10"),
        )
    folder = into if DataSource.parse(into).is_folder else None
    ctx = Context("statistics", profiles_for(profile), UnitLookup(unit_tree(folder)),
                  ProcedureLookup.of([]), None)  # fmt: skip
    read = ImportResult("statistics", into)
    blocks: list[pa.Table] = []
    for path in files:
        read_file(path, ctx, blocks.append, read, on=month.start.date())
    result = StatisticsResult(rows=read.rows, issues=list(read.issues))
    dossiers: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    for block in blocks:
        for row in block.to_pylist():
            meta = (row.pop("_file"), row.pop("_row"))
            problems = _row_problems(row)
            hint = "the counts of a row must add up"
            result.issues += [RowIssue(*meta, col, "", why, hint) for col, why in problems]
            if not problems:
                more_dossiers, more_ratings = expand(row, month)
                dossiers += more_dossiers
                ratings += more_ratings
    if result.issues:
        if rejects is not None:
            write_rejects(rejects, result.issues)
        raise ImportRejectedError(result.issues, rows=result.rows, rejects=rejects)
    _apply(into, dossiers, ratings, result, dry_run=dry_run)
    return result


def _apply(
    into: str,
    dossiers: list[dict[str, Any]],
    ratings: list[dict[str, Any]],
    result: StatisticsResult,
    *,
    dry_run: bool,
) -> None:
    """The procedures, dossiers and ratings in one commit: all three or none."""
    tables = {"procedures": _PROCEDURES, "dossiers": dossiers, "ratings": ratings}
    diffs = commit_rows(into, tables, dry_run=dry_run, replace_groups=("dossiers", "ratings"))
    result.dossiers, result.ratings = diffs["dossiers"], diffs["ratings"]
