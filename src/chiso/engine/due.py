"""Dossiers about to go late: unfinished, due within the next few working days.

The "sắp quá hạn" list warns an office before a dossier costs Tiến độ points: every
dossier not finished and not returned whose due time falls between now and the end of
the ``days``-th working day from today (holiday calendar), soonest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from chiso.domain.calendar import HolidayCalendar
from chiso.engine.store import Store

COLUMNS = ("dossier_code", "unit_code", "procedure_code", "channel", "received_at", "due_at")


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

    def to_json(self) -> dict[str, Any]:
        """JSON object (times in ISO local time)."""
        return {
            "dossier_code": self.dossier_code,
            "unit_code": self.unit_code,
            "procedure_code": self.procedure_code,
            "channel": self.channel,
            "received_at": self.received_at.isoformat(sep=" "),
            "due_at": self.due_at.isoformat(sep=" "),
            "working_days_left": self.working_days_left,
        }


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
        )
        for r in rows
    ]


__all__ = ["DueDossier", "due_soon", "due_window_end"]
