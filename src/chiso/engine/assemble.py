"""From atom values to each unit's indicator results, in exact arithmetic.

The runner (:mod:`chiso.engine.runner`) gets every atom for every (period, unit)
from the engine; this module turns them into :class:`IndicatorResult` rows and
totals them (:func:`chiso.engine.totals.finish_unit`).  It runs once per unit,
period and indicator (8,448 times for a full year of Điện Biên under QĐ 459), so
the per-index-set work is done once (:func:`plan_of`) and a LIN or THR indicator
over counts — most of them — keeps integers instead of making fractions
(:meth:`IndicatorResult.from_counts`, :func:`chiso.engine.evaluate.count_rule`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from chiso.domain.periods import Period
from chiso.domain.rounding import fraction
from chiso.domain.units import Unit
from chiso.engine.evaluate import (
    CountRule,
    Evaluator,
    Exact,
    count_rule,
    indicator_points,
    measure_evaluator,
)
from chiso.engine.results import Head, IndicatorResult, Source, UnitResult
from chiso.engine.totals import finish_unit
from chiso.spec.canonical import IndexSet, Indicator

AtomValues = Mapping[tuple[int, str], Mapping[str, Exact]]
Cells = Mapping[tuple[str, str, str], float | None]


@dataclass(frozen=True)
class Inputs:
    """What a score reads besides the index set: atom values per (period index, unit),
    manual values and reported points per (unit, period code, indicator)."""

    values: AtomValues
    manual: Cells
    reported: Cells


@dataclass(frozen=True)
class IndicatorPlan:
    """An indicator with its measures compiled (once per index set)."""

    ind: Indicator
    numerator: Evaluator | None
    denominator: Evaluator | None
    #: The maximum as a fraction.
    top: Fraction
    #: Code, group, label, maximum and in_total, as results over counts take them.
    head: Head
    #: The LIN or THR rule on integers (None for the other kinds).
    rule: CountRule | None


#: Index sets whose plans are kept (a pooled score or a report's settings make another
#: index set: the least recently used are dropped).
MAX_PLANS = 32


@functools.lru_cache(maxsize=MAX_PLANS)
def plan_of(index_set: IndexSet) -> tuple[IndicatorPlan, ...]:
    """The index set's indicators, compiled (cached per index set content)."""
    plans = []
    for ind in index_set.indicators:
        computed = ind.source != "manual" and ind.numerator is not None
        plans.append(
            IndicatorPlan(
                ind,
                measure_evaluator(ind.numerator, ind.aggregation) if computed else None,  # type: ignore[arg-type]
                measure_evaluator(ind.denominator, ind.aggregation) if computed else None,  # type: ignore[arg-type]
                fraction(ind.max),
                (ind.code, ind.group_code, ind.label, ind.max, ind.in_total),
                count_rule(ind.scoring, fraction(ind.max).as_integer_ratio()),
            )
        )
    return tuple(plans)


def applies(ind: Indicator, unit: Unit, period: Period) -> bool:
    """Whether the indicator applies to the unit's kind and is in force in the period."""
    if ind.applies_to is not None and unit.kind.value not in ind.applies_to:
        return False
    if ind.effective_from is not None and ind.effective_from > period.last_day:
        return False
    return ind.effective_to is None or ind.effective_to >= period.start.date()


def unit_results(
    index_set: IndexSet,
    units: Sequence[Unit],
    period: Period,
    pid: int,
    inputs: Inputs,
    *,
    active: bool = True,
) -> list[UnitResult]:
    """Every selected unit's indicators in one period, totalled (``active``: whether the
    period is active for the units, :mod:`chiso.engine.coverage`)."""
    plans = plan_of(index_set)
    applicable: dict[str, tuple[bool, ...]] = {}
    code = period.code
    out = []
    for unit in units:
        kind = unit.kind.value
        flags = applicable.get(kind)
        if flags is None:
            flags = applicable[kind] = tuple(applies(p.ind, unit, period) for p in plans)
        atoms = inputs.values.get((pid, unit.unit_code), {})
        out.append(
            finish_unit(
                index_set,
                unit_code=unit.unit_code,
                name=unit.name,
                kind=kind,
                period=code,
                indicators=_indicators(plans, flags, unit.unit_code, code, atoms, inputs),
                active=active,
            )
        )
    return out


def _indicators(
    plans: Sequence[IndicatorPlan],
    flags: Sequence[bool],
    unit_code: str,
    period_code: str,
    atoms: Mapping[str, Exact],
    inputs: Inputs,
) -> list[IndicatorResult]:
    """One unit's indicators in one period (the loop every score runs most)."""
    from_counts = IndicatorResult.from_counts
    out = []
    for plan, applicable in zip(plans, flags, strict=True):
        ind = plan.ind
        if (inputs.reported or plan.numerator is None) and (
            given := _given(plan, unit_code, period_code, inputs, applicable)
        ):
            out.append(given)
        elif not applicable:
            out.append(_result(ind, "computed", False, note="-"))
        else:
            num, den = plan.numerator(atoms), plan.denominator(atoms)  # type: ignore[misc]
            rule = plan.rule
            if rule is not None and type(num) is int and type(den) is int and den > 0:
                out.append(from_counts(plan.head, num, den, rule(num, den)))
            else:
                out.append(_scored(ind, num, den))
    return out


def _given(
    plan: IndicatorPlan, unit_code: str, period_code: str, inputs: Inputs, applicable: bool
) -> IndicatorResult | None:
    """A reported or manual indicator's result (None: computed from the records)."""
    ind = plan.ind
    key = (unit_code, period_code, ind.code)
    if key in inputs.reported:
        reported = inputs.reported[key]
        points = Fraction(str(reported)) if reported is not None else None
        return _result(ind, "reported", points is not None, points=points)
    if ind.source != "manual" or not applicable:
        return None
    value = inputs.manual.get(key)
    if value is None:
        if ind.no_value == "full":
            return _result(ind, "manual", True, points=plan.top)
        if ind.no_value == "zero":
            return _result(ind, "manual", True, points=Fraction(0))
        return _result(ind, "manual", False, note="no manual value entered")
    return _result(ind, "manual", True, points=min(Fraction(str(value)), plan.top))


def _scored(ind: Indicator, num: Exact, den: Exact) -> IndicatorResult:
    rate, points, counted = indicator_points(ind, num, den)
    return IndicatorResult(
        ind.code, ind.group_code, ind.label, ind.max, counted, ind.in_total, "computed",
        num, den, rate, points,
    )  # fmt: skip


def _result(
    ind: Indicator,
    source: Source,
    applicable: bool,
    *,
    points: Fraction | None = None,
    note: str | None = None,
) -> IndicatorResult:
    return IndicatorResult(
        ind.code, ind.group_code, ind.label, ind.max, applicable, ind.in_total, source,
        points=points, note=note,
    )  # fmt: skip
