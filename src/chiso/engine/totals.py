"""From indicator results to a unit's total, converted score, grade and rank.

Shared by computed scores and by reported scores (indicator points typed in
from a received annex), so both are totalled, converted, classified and ranked
by the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from chiso.domain.ranking import BandRule, classify, collation_key, rank
from chiso.engine.evaluate import exact_sum, fraction
from chiso.engine.results import IndicatorResult, ResultSet, UnitResult
from chiso.spec.canonical import IndexSet


def finish_unit(
    index_set: IndexSet,
    *,
    unit_code: str,
    name: str,
    kind: str,
    period: str,
    indicators: Sequence[IndicatorResult],
    total_override: Fraction | None = None,
) -> UnitResult:
    """Total the applicable points, convert to the scale and classify.

    Args:
        total_override: a reported total more precise than the printed cells
            (seed 001 prints cells to 1 decimal but totals the hidden values).
    """
    counted = [i for i in indicators if i.in_total and i.applicable]
    total = exact_sum(i.points or Fraction(0) for i in counted)
    if total_override is not None:
        total = total_override
    maximum = exact_sum(fraction(i.max) for i in counted)
    converted = total / maximum * Fraction(index_set.scale) if maximum else None
    grade = label = None
    basis = converted * 100 / Fraction(index_set.scale) if converted is not None else None
    if index_set.classification_basis == "total":
        basis = total if maximum else None
    if basis is not None:
        rules = [BandRule(b.grade, b.min) for b in index_set.bands]
        grade = classify(basis, rules)
        label = next(b.label for b in index_set.bands if b.grade == grade)
    return UnitResult(
        unit_code, name, kind, period, tuple(indicators), total, maximum, converted, grade, label
    )


def ranked(index_set: IndexSet, units: Sequence[UnitResult]) -> list[UnitResult]:
    """Units ordered by their exact score with competition ranks and tie flags."""

    def tie_key(u: UnitResult) -> object:
        return collation_key(u.name) if index_set.tie_order == "name" else u.unit_code

    out = []
    for unit, position, tied in rank(units, _rank_score(index_set), tie_key):
        out.append(
            UnitResult(
                unit.unit_code,
                unit.name,
                unit.kind,
                unit.period,
                unit.indicators,
                unit.total,
                unit.max,
                unit.converted,
                unit.grade,
                unit.grade_label,
                position,
                tied,
            )
        )
    return out


def _rank_score(index_set: IndexSet) -> Callable[[UnitResult], Fraction | None]:
    """Rank on the classification basis: the converted score, or the total (NĐ 61)."""
    if index_set.classification_basis == "total":
        return lambda u: u.total if u.max else None
    return lambda u: u.converted


def result_set(
    index_set: IndexSet,
    *,
    period: str,
    period_label: str,
    units: Sequence[UnitResult],
    rounding_mode: str | None = None,
    rounding_decimals: int | None = None,
    scale: Decimal | None = None,
) -> ResultSet:
    """Rank units and wrap them with the period and rounding rule."""
    mode = rounding_mode or index_set.rounding_mode
    if mode not in ("truncate", "half_up"):
        raise ValueError(mode)
    return ResultSet(
        index_set=index_set.id,
        index_set_version=index_set.version,
        period=period,
        period_label=period_label,
        scale=scale or index_set.scale,
        rounding_mode=mode,  # type: ignore[arg-type]
        rounding_decimals=index_set.rounding_decimals
        if rounding_decimals is None
        else rounding_decimals,
        units=ranked(index_set, units),
    )
