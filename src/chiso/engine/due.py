"""Dossiers about to go late: unfinished, due within the next few working days.

The "sắp quá hạn" list warns an office before a dossier costs Tiến độ points: every
dossier not finished and not returned whose due time falls between now and the end of
the ``days``-th working day from today (holiday calendar), soonest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from chiso.contracts.due import DueDossier as DueDossierDoc
from chiso.domain.calendar import HolidayCalendar
from chiso.storage.store import Store

COLUMNS = (
    "dossier_code",
    "unit_code",
    "procedure_code",
    "channel",
    "received_at",
    "due_at",
    "supplement_count",
)


@dataclass(frozen=True)
class DueDossier:
    """One unfinished dossier and how many working days it has left (0 = due today)."""

    dossier_code: str
    unit_code: str
    procedure_code: str
    channel: str | None
    received_at: datetime
    due_at: datetime
    working_days_left: int
    #: The procedure's name and field (lĩnh vực) from ``procedures``, when it has them.
    procedure_name: str | None = None
    field: str | None = None
    #: Supplement requests: more than one makes the dossier late whatever happens.
    supplement_count: int | None = None

    def contract(self) -> DueDossierDoc:
        """Its JSON contract (:class:`chiso.contracts.due.DueDossier`; ISO local times)."""
        return DueDossierDoc(
            dossier_code=self.dossier_code,
            unit_code=self.unit_code,
            procedure_code=self.procedure_code,
            channel=self.channel,
            received_at=self.received_at.isoformat(sep=" "),
            due_at=self.due_at.isoformat(sep=" "),
            working_days_left=self.working_days_left,
            procedure_name=self.procedure_name,
            field=self.field,
            supplement_count=self.supplement_count,
        )

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract().dump()

    @property
    def savable(self) -> bool:
        """Whether finishing it on time still counts (at most one supplement request)."""
        return (self.supplement_count or 0) <= 1


def due_window_end(now: datetime, days: int, calendar: HolidayCalendar) -> datetime:
    """End (exclusive) of the window: midnight after the ``days``-th working day from now."""
    last = calendar.add_working_days(now.date(), days)
    return datetime.combine(last, time()) + timedelta(days=1)


def due_soon(
    store: Store,
    *,
    now: datetime,
    days: int = 3,
    unit_codes: set[str] | None = None,
    calendar: HolidayCalendar | None = None,
    limit: int = 1000,
) -> list[DueDossier]:
    """Unfinished dossiers due from ``now`` to ``days`` working days ahead, soonest first.

    ``unit_codes`` limits the list to those units (None: every unit).
    """
    cal = calendar or HolidayCalendar.default()
    end = due_window_end(now, days, cal)
    t = store.table("dossiers")
    expr = t.filter(
        t.finished_at.isnull()
        & t.returned_at.isnull()
        & t.due_at.notnull()
        & (t.due_at >= now)
        & (t.due_at < end)
    )
    if unit_codes is not None:
        expr = expr.filter(t.unit_code.isin(sorted(unit_codes)))
    expr = expr.select(*COLUMNS).order_by(["due_at", "dossier_code"]).limit(limit)
    rows = store.to_pyarrow(expr).to_pylist()
    procedures = procedures_by_code(store, {r["procedure_code"] for r in rows})
    today = now.date()
    return [
        DueDossier(
            dossier_code=r["dossier_code"],
            unit_code=r["unit_code"],
            procedure_code=r["procedure_code"],
            channel=r["channel"],
            received_at=r["received_at"],
            due_at=r["due_at"],
            working_days_left=max(0, cal.working_days_between(today, r["due_at"].date())),
            procedure_name=procedures.get(r["procedure_code"], (None, None))[0],
            field=procedures.get(r["procedure_code"], (None, None))[1],
            supplement_count=r["supplement_count"],
        )
        for r in rows
    ]


def procedures_by_code(store: Store, codes: set[str]) -> dict[str, tuple[str | None, str | None]]:
    """Name and field of each procedure in ``codes`` (absent ones are left out)."""
    if not codes:
        return {}
    t = store.table("procedures")
    expr = t.filter(t.procedure_code.isin(sorted(codes))).select("procedure_code", "name", "field")
    return {
        r["procedure_code"]: (r["name"], r["field"]) for r in store.to_pyarrow(expr).to_pylist()
    }


__all__ = ["DueDossier", "due_soon", "due_window_end", "procedures_by_code"]
