"""Forecast of a running period's end: each unit's score with an 80 % interval.

A seeded Monte Carlo over what is still to happen, record by record, scored by the
engine (each record's atoms per end state from :mod:`chiso.engine.forecast_rows`, added
to the unit's atoms at the period end and scored by the engine's own path, so every rule
of the index set applies):

- each dossier in progress that falls due before the period end finishes on time with
  the unit's own chance for a dossier with that many working days left (its history
  over the last 12 weeks, :data:`~chiso.engine.forecast_rows.BUCKETS`), drawn from a
  Beta posterior shrunk toward the province's chance (weight :data:`PRIOR`), with a
  digitised result at the unit's own rate; otherwise it ends the month late;
- the intake still to come: its number from the unit's receipts by weekday over the
  last 8 weeks, over the working days left (holiday calendar), Gamma–Poisson; each new
  dossier a copy of one of the unit's own dossiers received in those weeks (its
  channel, procedure and fee, payment, digitisation, sync and rating: the mix is drawn
  too), received on one of the days left, due as many working days later as its
  original; due before the period end it finishes on time with the unit's chance for
  that many days, else it ends the month overdue; due later it is still open, on time;
- petitions in progress due before the period end are answered in time with the unit's
  own share over the last 12 weeks (shrunk toward the province's likewise).

The forecast is the median draw, the interval the 10th and 90th percentiles, widened
around the median by the factor that would have held 80 % of the units' real scores in
the previous period forecast at the same point of it (:func:`calibrated`,
:mod:`chiso.engine.forecast_calibration`). A period already over is its final score (no
draw). Seeded: the same data, clock and seed give the
same numbers.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

import ibis
import numpy as np
from numpy.typing import NDArray

from chiso.contracts.forecast import UnitForecast
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.periods import Period
from chiso.domain.rounding import fraction
from chiso.domain.units import Unit
from chiso.engine.assemble import unit_results
from chiso.engine.forecast_calibration import Calibration, calibration, previous_instant, widen
from chiso.engine.forecast_rows import (
    BUCKETS,
    Rows,
    atom_keys,
    bucket_of,
    contributions,
    drift,
    on_time_history,
)
from chiso.engine.goalseek import LEVERS, WhatIf, basis_score, what_if
from chiso.engine.results import UnitResult, exact
from chiso.engine.runner import Level, select_units
from chiso.engine.workdays import day_index
from chiso.spec.canonical import IndexSet
from chiso.storage.cache import CACHE
from chiso.storage.cut import as_it_stood
from chiso.storage.store import Store
from chiso.storage.unitdata import tree_of

__all__ = ["PRIOR", "Forecast", "UnitDraws", "calibrated", "forecast_units", "simulate"]

#: Weight of the province's on-time chance in each unit's (pseudo-dossiers).
PRIOR = 10.0
HISTORY = timedelta(weeks=12)
INTAKE_HISTORY = timedelta(weeks=8)
#: Spread of the intake's rate around its weekday average (Gamma shape).
INTAKE_SHAPE = 5.0

#: A dossier in progress, due between now and the period end.
IN_PROGRESS = (
    "finished_at is null and due_at is not null and due_at >= as_of and due_at < period_end"
    " and coalesce(supplement_count, 0) <= 1"
)
#: Its end states: as it is (late at the period end), finished on time, and digitised.
PROGRESS_STATES: tuple[dict[str, str], ...] = (
    {},
    {"finished_at": "due_at", "result_digitized": "false"},
    {"finished_at": "due_at", "result_digitized": "true"},
)
#: A dossier the intake is copied from: received before now (and in the intake window).
TEMPLATE = "received_at < as_of"
_NEW = {"received_at": "period_start"}
_OPEN = {"finished_at": "no_time", "result_digitized": "false", "rating.satisfied": "no_flag"}
#: A new dossier's end states: open and not due, open and overdue, finished on time
#: (result not digitised, digitised).
NEW_STATES: tuple[dict[str, str], ...] = (
    {**_NEW, **_OPEN, "due_at": "period_end"},
    {**_NEW, **_OPEN, "due_at": "period_start"},
    {**_NEW, "finished_at": "period_start", "due_at": "period_start", "result_digitized": "false"},
    {**_NEW, "finished_at": "period_start", "due_at": "period_start", "result_digitized": "true"},
)


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

    def contract(self) -> UnitForecast:
        """This forecast as its JSON contract (:class:`chiso.contracts.forecast.UnitForecast`)."""
        return UnitForecast(
            unit_code=self.unit_code,
            name=self.name,
            so_far=exact(self.so_far),
            forecast=exact(self.forecast),
            low=exact(self.low),
            high=exact(self.high),
            in_progress=self.in_progress,
            expected_intake=round(self.expected_intake, 2),
        )

    def to_json(self) -> dict[str, Any]:
        """JSON object of the documented shape (``chiso forecast --format json``)."""
        return self.contract().dump()


@dataclass(frozen=True)
class _History:
    """What the province's recent past says, per unit."""

    on_time: dict[str, NDArray[np.float64]]  # in progress / new × (open, on time) × buckets
    digitised: dict[str, tuple[int, int]]  # finished, of which with a digitised result
    receipts: dict[tuple[str, int], int]  # (unit, kind of day) → dossiers received
    petitions: dict[str, tuple[int, int]]  # petitions due, of which answered in time

    def prior(self) -> NDArray[np.float64]:
        """The province's on-time chance per kind (in progress, new) and bucket."""
        total = sum(self.on_time.values(), np.zeros((2, 2, len(BUCKETS))))
        return np.where(total[:, 0] > 0, total[:, 1] / np.maximum(total[:, 0], 1), 0.9)


def _kind(calendar: HolidayCalendar, day: date) -> int:
    """A working day's weekday (0–6), or 7 for a day off: portals take dossiers then too."""
    return day.weekday() if calendar.is_working_day(day) else 7


def _history(store: Store, now: datetime, calendar: HolidayCalendar) -> _History:
    t = store.table("dossiers")
    done = t.filter((t.finished_at >= now - HISTORY) & (t.finished_at < now))
    rows = store.to_pyarrow(
        done.group_by("unit_code").aggregate(
            n=done.count(), dig=done.result_digitized.fill_null(False).cast("int64").sum()
        )
    ).to_pylist()
    got = t.filter((t.received_at >= now - INTAKE_HISTORY) & (t.received_at < now))
    got = got.mutate(day=got.received_at.date())
    counts = store.to_pyarrow(
        got.group_by(["unit_code", "day"]).aggregate(n=ibis._.count())
    ).to_pylist()
    receipts: dict[tuple[str, int], int] = {}
    for r in counts:
        key = (r["unit_code"], _kind(calendar, r["day"]))
        receipts[key] = receipts.get(key, 0) + int(r["n"])
    p = store.table("petitions")
    p = p.filter((p.due_at >= now - HISTORY) & (p.due_at < now))
    answered = (p.handled_at.notnull() & (p.handled_at <= p.due_at)).cast("int64")
    petitions = store.to_pyarrow(
        p.group_by("unit_code").aggregate(n=p.count(), ok=answered.sum())
    ).to_pylist()
    return _History(
        on_time_history(store, now, HISTORY),
        {r["unit_code"]: (int(r["n"]), int(r["dig"] or 0)) for r in rows},
        receipts,
        {r["unit_code"]: (int(r["n"]), int(r["ok"] or 0)) for r in petitions},
    )


def _days_left(calendar: HolidayCalendar, now: datetime, end: datetime) -> list[tuple[date, float]]:
    """Days still to come, with the share of each still open (today: the rest of office
    hours, 8:00–17:00, on a working day; the rest of the day on a day off)."""
    out = []
    day = now.date()
    hour = now.hour + now.minute / 60
    while datetime.combine(day, datetime.min.time()) < end:
        share = 1.0
        if day == now.date():
            working = calendar.is_working_day(day)
            share = max(0.0, min(1.0, (17 - hour) / 9)) if working else 1 - hour / 24
        out.append((day, share))
        day += timedelta(days=1)
    return out


def _days_by_kind(calendar: HolidayCalendar, now: datetime) -> dict[int, int]:
    """Days of each kind (:func:`_kind`) in the intake window."""
    out: dict[int, int] = {}
    first = (now - INTAKE_HISTORY).date()
    for i in range((now.date() - first).days):
        kind = _kind(calendar, first + timedelta(days=i))
        out[kind] = out.get(kind, 0) + 1
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
    calibrate: bool = True,
) -> list[Forecast]:
    """Every unit's forecast for the end of ``period``, judged at ``period.as_of``; the
    intervals widened by :func:`calibrated` (unless ``calibrate`` is false)."""
    calendar = calendar or HolidayCalendar.default()
    found = _drawn(_Ask(store, index_set, period, units, draws, seed, calendar))
    if not calibrate or period.as_of >= period.end:
        return found
    factor = calibrated(store, index_set, period, draws=draws, seed=seed, calendar=calendar).factor
    top = fraction(index_set.scale) if index_set.classification_basis != "total" else None
    return [widen(f, factor, top) for f in found]


def calibrated(
    store: Store,
    index_set: IndexSet,
    period: Period,
    *,
    draws: int = 300,
    seed: int = 2026,
    calendar: HolidayCalendar | None = None,
) -> Calibration:
    """The factor the intervals of ``period`` are widened by: every unit of the data's
    previous period forecast as the data stood at the same point of it, against its real
    final score (:mod:`chiso.engine.forecast_calibration`).  Kept in
    :data:`chiso.storage.cache.CACHE` while the store is open: learnt once per store and
    hour, by one thread (another asking meanwhile waits for it)."""
    calendar = calendar or HolidayCalendar.default()
    before = previous_instant(period)
    key = (store.version, "forecast-calibration", store.source, index_set, before.code,
           before.as_of, draws, seed, calendar)  # fmt: skip

    def learn() -> Calibration:
        units = select_units(tree_of(store), Level("all"), before)
        past = as_it_stood(store, before.as_of)
        drawn = _drawn(_Ask(past, index_set, before, units, draws, seed, calendar))
        over = replace(before, as_of=before.end)
        final = _drawn(_Ask(store, index_set, over, units, draws, seed, calendar))
        return calibration([(f, r.forecast) for f, r in zip(drawn, final, strict=True)],
                           before.as_of)  # fmt: skip

    return CACHE.once(key, learn)


class _Ask(NamedTuple):
    """What a set of drawn forecasts is drawn from."""

    store: Store
    index_set: IndexSet
    period: Period
    units: Sequence[Unit]
    draws: int
    seed: int
    calendar: HolidayCalendar


def _drawn(ask: _Ask) -> list[Forecast]:
    """The forecasts as drawn (uncalibrated), kept in :data:`chiso.storage.cache.CACHE`
    while the store is open (the next period's calibration reuses them)."""
    store, index_set, period, units, draws, seed, calendar = ask
    key = (store.version, "forecast-drawn", store.source, index_set, period.code,
           period.as_of, draws, seed, calendar, tuple(u.unit_code for u in units))  # fmt: skip
    return CACHE.value(key, lambda: _draw(ask))


def _draw(ask: _Ask) -> list[Forecast]:
    store, index_set, period, units, draws, seed, calendar = ask
    models = what_if(store, index_set, period, units, (LEVERS[1],))
    if period.as_of >= period.end:  # over: the final score, no draw
        return [_final(model) for model in models]
    out = []
    for drawn in simulate(store, index_set, period, models, draws=draws, seed=seed,
                          calendar=calendar):  # fmt: skip
        model = drawn.model
        scored: dict[tuple[int, ...], Fraction | None] = {}
        values: list[Fraction] = []
        for d in range(draws):
            key = (int(drawn.answered[d]), *drawn.extra[d].tolist())
            if key not in scored:
                scored[key] = basis_score(index_set, drawn.result(drawn.extra[d], d))
            score = scored[key]
            if score is not None:
                values.append(score)
        values.sort()
        out.append(_summary(model, values, drawn.in_progress, drawn.rate))
    return out


@dataclass(frozen=True)
class UnitDraws:
    """One unit's simulated month ends: what each draw adds to its atoms at the period end."""

    model: WhatIf
    #: Atom keys, in the order of the last axis of ``extra`` (and of ``progress.values``).
    keys: list[str]
    #: draw × atom: the atoms moved by the dossiers in progress and the intake.
    extra: NDArray[np.int64]
    #: Per draw, the petitions in progress answered in time.
    answered: NDArray[np.int64]
    #: The dossiers in progress due before the period end, and each one's end state per
    #: draw (draw × record: index into :data:`PROGRESS_STATES`).
    progress: Rows | None
    states: NDArray[np.int64]
    #: The intake expected over the days left.
    rate: float

    @property
    def in_progress(self) -> int:
        """The dossiers in progress drawn."""
        return 0 if self.progress is None else len(self.progress.received)

    def result(self, extra: NDArray[np.int64], draw: int) -> UnitResult:
        """The unit at the period end with ``extra`` added to its atoms and the petitions
        answered in ``draw``."""
        moved = {k: int(v) for k, v in zip(self.keys, extra, strict=True) if v}
        return self.model.result({"petition_on_time": int(self.answered[draw])}, extra=moved)


def simulate(
    store: Store,
    index_set: IndexSet,
    period: Period,
    models: Sequence[WhatIf],
    *,
    draws: int,
    seed: int,
    calendar: HolidayCalendar,
    seeds: Sequence[int | str] | None = None,
) -> list[UnitDraws]:
    """Each unit's draws of what is still to happen until ``period``'s end (the module
    docstring), judged at ``period.as_of`` (before the end). ``models`` are the units'
    what-if models for ``period`` with the ``petition_on_time`` lever; each unit's draws
    are seeded by ``seed`` and its position in ``models``, or its entry of ``seeds`` (a
    number, or a text such as the unit code, hashed)."""
    now = period.as_of
    codes = [m.unit.unit_code for m in models]
    progress = contributions(store, index_set, period, codes, IN_PROGRESS, PROGRESS_STATES,
                             new=False)  # fmt: skip
    templates = contributions(store, index_set, period, codes, TEMPLATE, NEW_STATES, new=True,
                              received_since=now - INTAKE_HISTORY)  # fmt: skip
    keys = atom_keys(index_set)
    history = _history(store, now, calendar)
    prior = history.prior()
    shift = drift(store, now)
    p_n = sum(n for n, _ in history.petitions.values())
    p_petition = sum(ok for _, ok in history.petitions.values()) / p_n if p_n else 0.9
    days = _days_left(calendar, now, period.end)
    weeks = _days_by_kind(calendar, now)
    kinds = [_kind(calendar, d) for d, _ in days]
    intake_days = np.array([day_index(d) or 0 for d, _ in days], dtype=np.int64)
    off_days = np.array([kind == 7 for kind in kinds])
    simulation = _Simulation(
        draws, day_index(now) or 0, day_index(period.end - timedelta(seconds=1)) or 0
    )
    out = []
    for i, model in enumerate(models):
        code = model.unit.unit_code
        own = i if seeds is None else seeds[i]
        rng = np.random.default_rng([seed, own if isinstance(own, int) else _hashed(own)])
        per_day = np.array(
            [
                share * history.receipts.get((code, kind), 0) / weeks[kind]
                if weeks.get(kind)
                else 0.0
                for (_, share), kind in zip(days, kinds, strict=True)
            ]
        )
        ok = history.on_time.get(code, np.zeros((2, 2, len(BUCKETS))))
        chance = rng.beta(
            ok[:, 1] + PRIOR * prior + 0.5, ok[:, 0] - ok[:, 1] + PRIOR * (1 - prior) + 0.5,
            size=(draws, 2, len(BUCKETS)),
        )  # fmt: skip
        chance = _shifted(chance, rng.normal(0.0, shift, size=draws))
        finished, dig = history.digitised.get(code, (0, 0))
        digitised = rng.beta(dig + 1, finished - dig + 1, size=draws)
        rows = progress.get(code)
        extra, states = simulation.progress(rng, rows, chance[:, 0], digitised, len(keys))
        extra += simulation.intake(rng, templates.get(code), per_day, intake_days, off_days,
                                   chance[:, 1], digitised, len(keys))  # fmt: skip
        petitions = model.capacity.get("petition_on_time", 0)
        n, ok_p = history.petitions.get(code, (0, 0))
        p_ok = rng.beta(ok_p + PRIOR * p_petition + 0.5, n - ok_p + PRIOR * (1 - p_petition) + 0.5,
                        size=draws)  # fmt: skip
        answered = rng.binomial(petitions, p_ok)
        out.append(UnitDraws(model, keys, extra, answered, rows, states, float(per_day.sum())))
    return out


def _hashed(text: str) -> int:
    """A stable number for ``text`` (not Python's per-process ``hash``)."""
    return zlib.crc32(text.encode())


@dataclass(frozen=True)
class _Simulation:
    draws: int
    today: int  # calendar index of now's day
    last: int  # calendar index of the period's last day

    def progress(
        self,
        rng: np.random.Generator,
        rows: Rows | None,
        chance: NDArray[np.float64],
        digitised: NDArray[np.float64],
        width: int,
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Atoms moved by the dossiers in progress, per draw; and each one's end state
        (draw × record)."""
        if rows is None or not len(rows.due):
            none = np.zeros((self.draws, 0), dtype=np.int64)
            return np.zeros((self.draws, width), dtype=np.int64), none
        buckets = bucket_of(rows.due - self.today)
        on_time = rng.random((self.draws, len(buckets))) < chance[:, buckets]
        dig = rng.random((self.draws, len(buckets))) < digitised[:, None]
        state = np.where(on_time, np.where(dig, 2, 1), 0)
        picked = rows.values[state, np.arange(len(buckets))[None, :]]
        return picked.sum(axis=1), state

    def intake(
        self,
        rng: np.random.Generator,
        rows: Rows | None,
        per_day: NDArray[np.float64],
        days: NDArray[np.int64],
        off: NDArray[np.bool_],
        chance: NDArray[np.float64],
        digitised: NDArray[np.float64],
        width: int,
    ) -> NDArray[np.int64]:
        """Atoms of the dossiers still to be received, per draw."""
        out = np.zeros((self.draws, width), dtype=np.int64)
        rate = float(per_day.sum())
        if rows is None or not len(rows.received) or rate <= 0:
            return out
        counts = rng.poisson(rate * rng.gamma(INTAKE_SHAPE, 1 / INTAKE_SHAPE, size=self.draws))
        lead = np.where(rows.due >= 0, rows.due - rows.received, -1)
        # A dossier received on a day off is copied from one received on a day off.
        pools = [np.flatnonzero(~rows.off), np.flatnonzero(rows.off)]
        pools = [p if len(p) else np.arange(len(lead)) for p in pools]
        for d, m in enumerate(counts):
            if not m:
                continue
            day = rng.choice(len(days), size=m, p=per_day / rate)
            received = days[day]
            picked = np.where(
                off[day],
                pools[1][rng.integers(0, len(pools[1]), size=m)],
                pools[0][rng.integers(0, len(pools[0]), size=m)],
            )
            left = lead[picked]
            due = received + left
            in_period = (left >= 0) & (due <= self.last)
            buckets = bucket_of(left)
            on_time = rng.random(m) < chance[d, buckets]
            dig = rng.random(m) < digitised[d]
            state = np.where(in_period, np.where(on_time, np.where(dig, 3, 2), 1), 0)
            out[d] = rows.values[state, picked].sum(axis=0)
        return out


def _shifted(chance: NDArray[np.float64], shift: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each draw's chances moved by its shift on the logit scale (the unit this month)."""
    clipped = np.clip(chance, 1e-6, 1 - 1e-6)
    logit = np.log(clipped / (1 - clipped)) + shift.reshape(-1, *[1] * (chance.ndim - 1))
    return 1 / (1 + np.exp(-logit))  # type: ignore[no-any-return]


def _summary(model: WhatIf, values: list[Fraction], in_progress: int, rate: float) -> Forecast:
    so_far = _so_far(model)
    unit = model.unit
    if not values:
        return Forecast(unit.unit_code, unit.name, so_far, None, None, None, in_progress, rate)
    n = len(values) - 1
    return Forecast(
        unit.unit_code, unit.name, so_far, values[n // 2], values[int(0.1 * n)],
        values[int(0.9 * n + 0.999)], in_progress, rate,
    )  # fmt: skip


def _final(model: WhatIf) -> Forecast:
    score = _so_far(model)
    return Forecast(model.unit.unit_code, model.unit.name, score, score, score, score, 0, 0.0)


def _so_far(model: WhatIf) -> Fraction | None:
    current = unit_results(model.index_set, [model.unit], model.now, 0, model.inputs)[0]
    return basis_score(model.index_set, current)
