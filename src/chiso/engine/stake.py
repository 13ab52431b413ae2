"""Points at stake: what one dossier in progress costs its unit if it goes late.

The "sắp quá hạn" list orders dossiers by what they risk. A dossier's risk depends only
on its unit, its period and its kind of effect (a dossier the ``on_time`` lever of
:mod:`chiso.engine.goalseek` can still save), so it is computed once per unit, never per
dossier, and never by a hand formula: the unit is scored by the engine's own path
(:meth:`chiso.engine.goalseek.WhatIf.result`) with the dossier on time and with it late,
and the difference is the points at stake, split by indicator (under QĐ 459 a late
dossier costs twice: ``tien_do`` and ``hailong_cs3``).

Weighed against the month's end (:data:`MONTH_END`, the default): the month-end
forecast's draws (:func:`chiso.engine.forecast.simulate`: the other dossiers in progress
finishing on time with the unit's own chance, the intake still to come, the petitions)
each give the unit's month end; in each draw one of the unit's dossiers in progress (in
turn, by dossier code) is set late, then on time, the unit scored both ways; the stake is
the median draw's difference (its split by indicator with it). A month not yet begun is
judged from its first instant: its intake is simulated whole from the unit's history.
Weighed against the month as it stands (:data:`AS_OF`, the former way, and the fallback
when nothing is drawn): every savable dossier on time against one of them late — early in
a month the month holds few records, so that figure is several times the month-end one
(docs/web.md, "Points at stake").

A dossier the lever cannot save (already late by its supplement requests) risks nothing
more: it counts late whatever the office does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from chiso.contracts.due import Stake as StakeDoc
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.periods import Period
from chiso.domain.units import Unit
from chiso.engine.forecast import UnitDraws, simulate
from chiso.engine.goalseek import LEVERS, WhatIf, basis_score, indicator_moves, what_if
from chiso.engine.results import UnitResult, exact
from chiso.spec.canonical import IndexSet
from chiso.storage.store import Store

__all__ = ["AS_OF", "DRAWS", "LEVER", "MONTH_END", "Stake", "stakes"]

#: The lever whose one record is the dossier at stake.
LEVER = next(lever for lever in LEVERS if lever.code == "on_time")
PETITIONS = next(lever for lever in LEVERS if lever.code == "petition_on_time")
#: Methods: weighed against the month's end (the forecast's draws), or against the month
#: as it stands at the evaluation instant.
Method = Literal["month_end", "as_of"]
MONTH_END: Method = "month_end"
AS_OF: Method = "as_of"
#: Draws of the month's end per unit.
DRAWS = 100


@dataclass(frozen=True)
class Stake:
    """The points one more late dossier costs a unit in a period, total and by indicator."""

    unit_code: str
    period: str
    points: Fraction
    indicators: dict[str, Fraction] = field(default_factory=dict)
    #: How it was weighed: :data:`MONTH_END` or :data:`AS_OF`.
    method: Method = MONTH_END

    def contract(self) -> StakeDoc:
        """Its JSON contract (:class:`chiso.contracts.due.Stake`; exact points as numbers)."""
        return StakeDoc(
            unit_code=self.unit_code,
            period=self.period,
            points=_number(self.points),
            indicators={k: _number(v) for k, v in self.indicators.items()},
            method=self.method,
        )

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract().dump()


def _number(value: Fraction) -> float:
    return exact(value) or 0.0


def _points(index_set: IndexSet, result: UnitResult) -> Fraction:
    return basis_score(index_set, result) or Fraction(0)


def _stake(model: WhatIf) -> Stake:
    """Against the month as it stands: every savable dossier on time, and one of them late."""
    code, period = model.unit.unit_code, model.now.code
    savable = model.capacity.get(LEVER.code, 0)
    if not savable:
        return Stake(code, period, Fraction(0), method=AS_OF)
    on_time = model.result({LEVER.code: savable})
    one_late = model.result({LEVER.code: savable - 1})
    lost = _points(model.index_set, on_time) - _points(model.index_set, one_late)
    return Stake(code, period, lost, indicator_moves(one_late, on_time), AS_OF)


def _month_end(drawn: UnitDraws) -> Stake:
    """Against the month's end: the median over the draws of (score with one of the
    dossiers in progress on time − with it late), the others as drawn."""
    model, rows = drawn.model, drawn.progress
    code, period = model.unit.unit_code, model.now.code
    if not model.capacity.get(LEVER.code, 0):
        return Stake(code, period, Fraction(0))
    if rows is None or not len(rows.received):
        return _stake(model)
    index_set = model.index_set
    scored: dict[tuple[int, ...], UnitResult] = {}

    def result(extra: np.ndarray, d: int) -> UnitResult:
        key = (int(drawn.answered[d]), *extra.tolist())
        if key not in scored:
            scored[key] = drawn.result(extra, d)
        return scored[key]

    found: list[tuple[Fraction, int, UnitResult, UnitResult]] = []
    for d in range(len(drawn.extra)):
        r = d % len(rows.received)  # the dossier at stake, in turn
        late = drawn.extra[d] - rows.values[drawn.states[d, r], r]  # state 0: as it is (late)
        on_time = late + rows.values[1, r]  # finished at its due time
        a, b = result(on_time, d), result(late, d)
        found.append((_points(index_set, a) - _points(index_set, b), d, a, b))
    found.sort(key=lambda f: (f[0], f[1]))
    lost, _, on, late_result = found[(len(found) - 1) // 2]
    return Stake(code, period, lost, indicator_moves(late_result, on))


def stakes(
    store: Store,
    index_set: IndexSet,
    period: Period,
    units: Sequence[Unit],
    *,
    method: Method = MONTH_END,
    draws: int = DRAWS,
    seed: int = 2026,
    calendar: HolidayCalendar | None = None,
) -> dict[str, Stake]:
    """Each unit's points at stake per savable dossier due in ``period``.

    ``period.as_of`` is the instant judged: dossiers due from then on can still be saved
    (a month not yet begun: judge it at its start). ``method``: :data:`MONTH_END` (the
    module docstring; ``draws`` per unit, seeded by ``seed`` and the unit's code, so a
    unit's stake does not depend on the other units asked) or :data:`AS_OF`.
    """
    if not units:
        return {}
    if method not in (MONTH_END, AS_OF):
        raise ValueError(f"unknown method {method!r}")
    models = what_if(store, index_set, period, units, [LEVER, PETITIONS])
    if method == AS_OF or period.as_of >= period.end:
        return {m.unit.unit_code: _stake(m) for m in models}
    drawn = simulate(
        store, index_set, period, models, draws=draws, seed=seed,
        calendar=calendar or HolidayCalendar.default(), seeds=[u.unit_code for u in units],
    )  # fmt: skip
    return {d.model.unit.unit_code: _month_end(d) for d in drawn}
