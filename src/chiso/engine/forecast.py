"""Forecast of a running period's end: each unit's score with an 80 % interval.

A Monte Carlo over what is still to happen, scored by the engine (the what-if atoms of
:mod:`chiso.engine.goalseek`, so every rule of the index set applies):

- each dossier in progress that falls due before the period end is finished on time
  with the unit's own probability: its on-time share over the dossiers that fell due in
  the last 12 weeks, drawn from a Beta posterior shrunk toward the province's share
  (weight :data:`PRIOR`), so a unit with little history gets a wide interval;
- the intake still to come is drawn from the unit's receipts by weekday over the last 8
  weeks (working days of the holiday calendar only), over-dispersed (Gamma–Poisson);
  a new dossier counts like those received this period and still in progress,
  finished by its due time (:data:`INTAKE`).

The forecast is the median draw, the interval the 10th and 90th percentiles.
Seeded: the same data, clock and seed give the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import ibis
import numpy as np

from chiso.domain.calendar import HolidayCalendar
from chiso.domain.periods import Period
from chiso.domain.units import Unit
from chiso.engine.assemble import unit_results
from chiso.engine.goalseek import LEVERS, Lever, WhatIf, basis_score, what_if
from chiso.engine.results import exact
from chiso.engine.store import Store
from chiso.spec.canonical import IndexSet

__all__ = ["INTAKE", "PRIOR", "Forecast", "forecast_units"]

#: A dossier still to be received: like those received this period and in progress,
#: still in progress and not due at the period end.
INTAKE = Lever(
    "intake",
    "dossiers",
    "received_at >= period_start and received_at < period_end and finished_at is null",
    "true",
    {"due_at": "period_end"},
    new=True,
)
#: A dossier in progress finished on time with its result digitised.
DIGITISED = Lever(
    "on_time_digitised",
    "dossiers",
    LEVERS[0].eligible,
    LEVERS[0].savable,
    {"finished_at": "due_at", "result_digitized": "true"},
)
#: Weight of the province's on-time share in each unit's (pseudo-dossiers).
PRIOR = 20.0
HISTORY = timedelta(weeks=12)
INTAKE_HISTORY = timedelta(weeks=8)


@dataclass(frozen=True)
class Forecast:
    """A unit's month-end forecast."""

    unit_code: str
    name: str
    so_far: Fraction | None
    forecast: Fraction | None
    low: Fraction | None
    high: Fraction | None
    in_progress: int
    expected_intake: float

    def to_json(self) -> dict[str, Any]:
        """JSON object of the documented shape (``chiso forecast --format json``)."""
        return {
            "unit_code": self.unit_code,
            "name": self.name,
            "so_far": exact(self.so_far),
            "forecast": exact(self.forecast),
            "low": exact(self.low),
            "high": exact(self.high),
            "in_progress": self.in_progress,
            "expected_intake": round(self.expected_intake, 2),
        }


def _history(
    store: Store, now: datetime
) -> tuple[dict[str, tuple[int, int, int, int]], dict[Any, int]]:
    """Per unit: dossiers due in the history window, of which on time, finished, finished
    with a digitised result; receipts per
    (unit, weekday) over the intake window."""
    t = store.table("dossiers")
    due = t.filter((t.due_at >= now - HISTORY) & (t.due_at < now))
    on_time = due.finished_at.notnull() & (due.finished_at <= due.due_at)
    digitised = due.finished_at.notnull() & due.result_digitized.fill_null(False)
    rows = store.to_pyarrow(
        due.group_by("unit_code").aggregate(
            n=due.count(),
            ok=on_time.cast("int64").sum(),
            done=due.finished_at.notnull().cast("int64").sum(),
            dig=digitised.cast("int64").sum(),
        )
    ).to_pylist()
    history = {
        r["unit_code"]: (int(r["n"]), int(r["ok"] or 0), int(r["done"] or 0), int(r["dig"] or 0))
        for r in rows
    }
    got = t.filter((t.received_at >= now - INTAKE_HISTORY) & (t.received_at < now))
    got = got.mutate(day=got.received_at.day_of_week.index())
    counts = store.to_pyarrow(
        got.group_by(["unit_code", "day"]).aggregate(n=ibis._.count())
    ).to_pylist()
    return history, {(r["unit_code"], int(r["day"])): int(r["n"]) for r in counts}


def _intake_days(calendar: HolidayCalendar, now: datetime, end: datetime) -> dict[int, float]:
    """Working days still to come by weekday (today counted for its remaining part)."""
    out: dict[int, float] = {}
    day = now.date()
    while datetime.combine(day, datetime.min.time()) < end:
        if calendar.is_working_day(day):
            share = 1.0
            if day == now.date():
                share = max(0.0, min(1.0, (17 - now.hour - now.minute / 60) / 9))
            out[day.weekday()] = out.get(day.weekday(), 0.0) + share
        day += timedelta(days=1)
    return out


def _weeks_by_weekday(calendar: HolidayCalendar, now: datetime) -> dict[int, int]:
    out: dict[int, int] = {}
    first = (now - INTAKE_HISTORY).date()
    for i in range((now.date() - first).days):
        day: date = first + timedelta(days=i)
        if calendar.is_working_day(day):
            out[day.weekday()] = out.get(day.weekday(), 0) + 1
    return out


def forecast_units(
    store: Store,
    index_set: IndexSet,
    period: Period,
    units: Sequence[Unit],
    *,
    draws: int = 300,
    seed: int = 2026,
    calendar: HolidayCalendar | None = None,
) -> list[Forecast]:
    """Every unit's forecast for the end of ``period``, judged at ``period.as_of``."""
    calendar = calendar or HolidayCalendar.default()
    now = period.as_of
    models = what_if(store, index_set, period, units, (LEVERS[0], DIGITISED, LEVERS[1], INTAKE))
    history, receipts = _history(store, now)
    total_n = sum(h[0] for h in history.values())
    p0 = sum(h[1] for h in history.values()) / total_n if total_n else 0.9
    days = _intake_days(calendar, now, period.end)
    weeks = _weeks_by_weekday(calendar, now)
    rng = np.random.default_rng(seed)
    out = []
    for model in models:
        code = model.unit.unit_code
        so_far = _so_far(model)
        n, ok, done, dig = history.get(code, (0, 0, 0, 0))
        in_progress = model.capacity.get("on_time", 0)
        petitions = model.capacity.get("petition_on_time", 0)
        rate = sum(
            receipts.get((code, wd), 0) / weeks[wd] * left
            for wd, left in days.items()
            if weeks.get(wd)
        )
        can_add = "intake" in model.moves
        scores = []
        p = rng.beta(ok + PRIOR * p0 + 0.5, n - ok + PRIOR * (1 - p0) + 0.5, size=draws)
        k = rng.binomial(in_progress, p)
        kd = rng.binomial(k, (dig + 1) / (done + 2))  # of which with a digitised result
        kp = rng.binomial(petitions, p)
        m = rng.poisson(rate * rng.gamma(5.0, 0.2, size=draws)) if can_add else [0] * draws
        for ki, di, pi, mi in zip(k, kd, kp, m, strict=True):
            ks = {"on_time": int(ki - di), "on_time_digitised": int(di)}
            ks |= {"petition_on_time": int(pi), "intake": int(mi)}
            scores.append(basis_score(index_set, model.result(ks)))
        values = sorted(s for s in scores if s is not None)
        if not values:
            out.append(Forecast(code, model.unit.name, so_far, None, None, None, in_progress, rate))
            continue
        out.append(
            Forecast(
                code, model.unit.name, so_far, values[len(values) // 2],
                values[int(0.1 * (len(values) - 1))], values[int(0.9 * (len(values) - 1))],
                in_progress, rate,
            )
        )  # fmt: skip
    return out


def _so_far(model: WhatIf) -> Fraction | None:
    current = unit_results(model.index_set, [model.unit], model.now, 0, model.inputs)[0]
    return basis_score(model.index_set, current)
