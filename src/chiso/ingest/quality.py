"""``chiso quality``: what is wrong with the stored dossiers of a period, per unit.

Two parts, computed on any engine through Ibis:

* **problems** — rows that import would accept but that make indicators doubtful
  (a finished status without a finish date, no due date, dates in the future, an
  online dossier of a procedure that is not online…), counted per unit;
* **balances** — the identities the national statistics print: handled = carried
  over + received = finished + in progress, and finished = early + on time + late.
  From dates alone they always hold; they break when the statistics are counted by
  **status** (as one-stop systems do) and a dossier's status disagrees with its
  dates, or when a finished dossier has no due date.  Those rows are listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ibis
import ibis.expr.types as ir

from chiso.domain.absence import optional_columns
from chiso.domain.periods import Period
from chiso.i18n import N_
from chiso.storage.store import Store

__all__ = ["BALANCES", "PROBLEMS", "QualityRow", "empty_columns", "quality", "received_elsewhere"]

FINISHED_STATUSES = ("finished", "returned")
OPEN_STATUSES = ("received", "processing", "supplement")

#: code → (sentence, hint) for each row-level problem, English ids: show them with ``_()``.
PROBLEMS: dict[str, tuple[str, str]] = {
    "status_without_finish": (
        N_("finished status but no finish date"),
        N_("fill in the finish date in the one-stop system"),
    ),
    "finish_without_status": (
        N_("a finish date but a status not finished"),
        N_("update the status or remove the finish date"),
    ),
    "missing_due": (
        N_("no due date"),
        N_("without a due date the dossier cannot be judged late"),
    ),
    "due_before_received": (
        N_("due date before the date received"),
        N_("correct the due date or the date received"),
    ),
    "finished_before_received": (N_("finished before the date received"), N_("correct the dates")),
    "returned_before_finished": (
        N_("result returned before it was finished"),
        N_("correct the date the result was returned"),
    ),
    "future_date": (
        N_("a date in the future"),
        N_("dates after the report date are typing errors"),
    ),
    "unknown_procedure": (
        N_("procedure not in the catalogue"),
        N_("import the procedures catalogue"),
    ),
    "online_not_offered": (
        N_("submitted online but the procedure is not offered online"),
        N_("check the channel or the procedure's online level"),
    ),
    "fee_unpaid": (
        N_("a fee but no payment method recorded"),
        N_("record how the fee was paid"),
    ),
}
#: The balance checks: code → (name, sentence), English ids: show them with ``_()``.
BALANCES: dict[str, tuple[str, str]] = {
    "handled": (
        N_("Handled"),
        N_("handled = carried over + received = finished + in progress"),
    ),
    "finished": (N_("Finished"), N_("finished = early + on time + late")),
}
#: The reason of a finished dossier judged neither early, on time nor late.
UNCLASSIFIED = N_("finished but neither early, on time nor late")


@dataclass
class QualityRow:
    """One unit's counts for the period."""

    unit_code: str
    counts: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    broken: dict[str, int] = field(default_factory=dict)  # balance → rows breaking it

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "unit_code": self.unit_code,
            **self.counts,
            "problems": self.problems,
            "broken": self.broken,
        }


def _flags(d: ir.Table, store: Store, start: datetime, end: datetime) -> dict[str, Any]:
    """Boolean expressions: period membership, balance parts, problems."""
    finished = d.finished_at.notnull() & (d.finished_at < end)
    status_done = d.status.isin(FINISHED_STATUSES)
    due_day = d.due_at.truncate("D")
    procs = store.table("procedures")
    known = d.procedure_code.isin(procs.procedure_code) if store.has("procedures") else True
    online_level = d.procedure_online_level if "procedure_online_level" in d.columns else None
    flags: dict[str, Any] = {
        "carried_over": d.received_at < start,
        "received": d.received_at >= start,
        "finished": finished & (d.finished_at >= start),
        "in_progress": ~finished,
        "early": finished & (d.finished_at >= start) & (d.finished_at < due_day),
        "on_time": finished
        & (d.finished_at >= start)
        & (d.finished_at >= due_day)
        & (d.finished_at <= d.due_at),
        "late": finished & (d.finished_at >= start) & (d.finished_at > d.due_at),
        "finished_by_status": status_done & (d.finished_at.isnull() | (d.finished_at < end)),
        "status_without_finish": status_done & d.finished_at.isnull(),
        "finish_without_status": d.finished_at.notnull() & d.status.isin(OPEN_STATUSES),
        "missing_due": d.due_at.isnull(),
        "due_before_received": d.due_at < d.received_at,
        "finished_before_received": d.finished_at < d.received_at,
        "returned_before_finished": d.returned_at < d.finished_at,
        "future_date": (d.received_at >= end) | (d.finished_at >= end),
        "unknown_procedure": ~known if store.has("procedures") else ibis.literal(False),
        "online_not_offered": (d.channel == "online") & (online_level == "none")
        if online_level is not None
        else ibis.literal(False),
        "fee_unpaid": (d.fee_amount > 0) & (d.payment.isnull() | (d.payment == "none")),
        # counted for the unit, received at another centre (no problem: since 1/7/2025)
        "received_elsewhere": (d.received_at >= start) & _elsewhere(d),
    }
    return flags


def _elsewhere(d: ir.Table) -> Any:
    return d.receiving_point.notnull() & (d.receiving_point != d.unit_code)


def received_elsewhere(store: Store, period: Period) -> dict[str, int]:
    """Per unit, its dossiers received in ``period`` at another unit or centre (counted
    for the unit all the same); units with none are left out."""
    d = store.table("dossiers")
    inside = (d.received_at >= period.start) & (d.received_at < period.end) & _elsewhere(d)
    picked = d.filter(inside)
    grouped = picked.group_by("unit_code").aggregate(n=picked.count())
    return {str(r["unit_code"]): int(r["n"]) for r in store.to_pyarrow(grouped).to_pylist()}


def _base(store: Store, period: Period) -> ir.Table:
    d = store.table("dossiers")
    if store.has("procedures"):
        procs = store.table("procedures").select(
            procedure_code_q=lambda t: t.procedure_code,
            procedure_online_level=lambda t: t.online_level,
        )
        d = d.left_join(procs, d.procedure_code == procs.procedure_code_q).drop("procedure_code_q")
    start, end = period.start, period.end
    handled = (d.received_at < end) & (d.finished_at.isnull() | (d.finished_at >= start))
    return d.filter(handled)


def quality(
    store: Store, period: Period, *, units: Sequence[str] | None = None
) -> tuple[list[QualityRow], list[dict[str, Any]]]:
    """Per-unit counts and the rows that break a balance (or have a problem)."""
    d = _base(store, period)
    if units:
        d = d.filter(d.unit_code.isin(list(units)))
    flags = _flags(d, store, period.start, period.end)
    marked = d.mutate(**{k: ibis.coalesce(v, False) for k, v in flags.items()})
    aggregates = {k: marked[k].cast("int64").sum() for k in flags}
    grouped = marked.group_by("unit_code").aggregate(handled=marked.count(), **aggregates)
    rows = []
    for record in store.to_pyarrow(grouped.order_by("unit_code")).to_pylist():
        row = QualityRow(str(record["unit_code"]))
        keys = ("handled", "carried_over", "received", "finished", "finished_by_status")
        for key in (*keys, "in_progress"):
            row.counts[key] = int(record[key] or 0)
        for key in ("early", "on_time", "late", "received_elsewhere"):
            row.counts[key] = int(record[key] or 0)
        row.problems = {k: int(record[k]) for k in PROBLEMS if record[k]}
        row.broken = _broken(row.counts, row.problems)
        rows.append(row)
    breaking = _breaking_rows(marked)
    return rows, store.to_pyarrow(breaking).to_pylist()


def empty_columns(store: Store, period: Period, *, units: Sequence[str] | None = None) -> list[str]:
    """Optional dossier columns empty in every dossier handled in the period (of ``units``):
    absent from the exports, or left blank throughout, which the formulas read alike
    (docs/data-model.md, "Absent columns").  None when no dossier is handled."""
    d = _base(store, period)
    if units:
        d = d.filter(d.unit_code.isin(list(units)))
    columns = [c for c in optional_columns("dossiers") if c in d.columns]
    filled = d.aggregate(_rows=d.count(), **{c: d[c].count() for c in columns})
    record = store.to_pyarrow(filled).to_pylist()[0]
    if not record["_rows"]:
        return []
    return [c for c in columns if not record[c]]


def _broken(c: dict[str, int], problems: dict[str, int]) -> dict[str, int]:
    out = {}
    disagree = problems.get("status_without_finish", 0) + problems.get("finish_without_status", 0)
    if disagree:
        out["handled"] = disagree
    gap = c["finished"] - (c["early"] + c["on_time"] + c["late"])
    if gap:
        out["finished"] = abs(gap)
    return out


def _breaking_rows(marked: ir.Table) -> ir.Table:
    """Finished dossiers that fall in none of early / on time / late, and problem rows."""
    unclassified = marked.finished & ~(marked.early | marked.on_time | marked.late)
    problem: Any
    problem = ibis.literal(False)
    for key in PROBLEMS:
        problem = problem | marked[key]
    reason = ibis.cases(
        (unclassified, "finished"),
        *((marked[k], k) for k in PROBLEMS),
        else_="",
    )
    picked = marked.filter(unclassified | problem)
    return picked.select(
        "unit_code",
        "dossier_code",
        "status",
        "received_at",
        "due_at",
        "finished_at",
        reason=reason,
    ).order_by(["unit_code", "dossier_code"])
