"""Points at stake: what one dossier in progress costs its unit if it goes late.

The "sắp quá hạn" list orders dossiers by what they risk. A dossier's risk depends only
on its unit, its period and its kind of effect (a dossier the ``on_time`` lever of
:mod:`chiso.engine.goalseek` can still save), so it is computed once per unit, never per
dossier, and never by a hand formula: the unit is scored by the engine's own path
(:meth:`chiso.engine.goalseek.WhatIf.result`) with every savable dossier finished on
time, and again with one of them late. The difference is the points at stake, split by
indicator (under QĐ 459 a late dossier costs twice: ``tien_do`` and ``hailong_cs3``).

A dossier the lever cannot save (already late by its supplement requests) risks nothing
more: it counts late whatever the office does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from chiso.contracts.due import Stake as StakeDoc
from chiso.domain.periods import Period
from chiso.domain.units import Unit
from chiso.engine.goalseek import LEVERS, WhatIf, basis_score, what_if
from chiso.engine.results import UnitResult, exact
from chiso.spec.canonical import IndexSet
from chiso.storage.store import Store

__all__ = ["LEVER", "Stake", "stakes"]

#: The lever whose one record is the dossier at stake.
LEVER = next(lever for lever in LEVERS if lever.code == "on_time")


@dataclass(frozen=True)
class Stake:
    """The points one more late dossier costs a unit in a period, total and by indicator."""

    unit_code: str
    period: str
    points: Fraction
    indicators: dict[str, Fraction] = field(default_factory=dict)

    def contract(self) -> StakeDoc:
        """Its JSON contract (:class:`chiso.contracts.due.Stake`; exact points as numbers)."""
        return StakeDoc(
            unit_code=self.unit_code,
            period=self.period,
            points=_number(self.points),
            indicators={k: _number(v) for k, v in self.indicators.items()},
        )

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract().dump()


def _number(value: Fraction) -> float:
    return exact(value) or 0.0


def _points(index_set: IndexSet, result: UnitResult) -> Fraction:
    return basis_score(index_set, result) or Fraction(0)


def _stake(model: WhatIf) -> Stake:
    code, period = model.unit.unit_code, model.now.code
    savable = model.capacity.get(LEVER.code, 0)
    if not savable:
        return Stake(code, period, Fraction(0))
    on_time = model.result({LEVER.code: savable})
    one_late = model.result({LEVER.code: savable - 1})
    moved = {}
    for a, b in zip(on_time.indicators, one_late.indicators, strict=True):
        diff = (a.points or Fraction(0)) - (b.points or Fraction(0))
        if diff:
            moved[a.code] = diff
    lost = _points(model.index_set, on_time) - _points(model.index_set, one_late)
    return Stake(code, period, lost, moved)


def stakes(
    store: Store, index_set: IndexSet, period: Period, units: Sequence[Unit]
) -> dict[str, Stake]:
    """Each unit's points at stake per savable dossier due in ``period`` (one query).

    ``period.as_of`` is the instant judged: dossiers due from then on can still be saved.
    """
    if not units:
        return {}
    return {m.unit.unit_code: _stake(m) for m in what_if(store, index_set, period, units, [LEVER])}
