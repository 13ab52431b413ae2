"""From indicator results to a unit's total, converted score, grade and rank.

Shared by computed scores and by reported scores (indicator points typed in
from a received annex), so both are totalled, converted, classified and ranked
by the same code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from chiso.domain.ranking import BandRule, classify, collation_key, rank
from chiso.domain.rounding import fraction
from chiso.domain.units import RANKING_BLOCKS
from chiso.engine.coverage import has_data
from chiso.engine.evaluate import ratio_sum
from chiso.engine.results import IndicatorResult, ResultSet, UnitResult
from chiso.spec.canonical import Band, IndexSet


def finish_unit(
    index_set: IndexSet,
    *,
    unit_code: str,
    name: str,
    kind: str,
    period: str,
    indicators: Sequence[IndicatorResult],
    total_override: Fraction | None = None,
    active: bool = True,
) -> UnitResult:
    """Total the applicable points, convert to the scale and classify, unless the unit
    has no data and the index set leaves such units unscored (:mod:`chiso.engine.coverage`).

    Args:
        total_override: a reported total more precise than the printed cells
            (seed 001 prints cells to 1 decimal but totals the hidden values).
        active: whether the period is active for the scored units (a dossier of theirs
            was received or finished in it).
    """
    counted = [t for t in map(IndicatorResult.total_terms, indicators) if t is not None]
    total = ratio_sum(points for points, _ in counted)
    if total_override is not None:
        total = total_override
    maximum = fraction(sum((top for _, top in counted), Decimal(0)))
    converted = basis = None
    if maximum:
        share = total / maximum
        converted = share * fraction(index_set.scale)
        basis = total if index_set.classification_basis == "total" else share * 100
    data = has_data(index_set, indicators, active=active)
    scored = data or index_set.score_without_data
    if not scored:
        converted = basis = None
    grade = label = None
    if basis is not None:
        grade, label = _grade(index_set.bands, basis)
    return UnitResult(
        unit_code, name, kind, period, tuple(indicators), total, maximum, converted, grade, label,
        has_data=data, scored=scored,
    )  # fmt: skip


@functools.lru_cache(maxsize=32)
def _band_rules(bands: tuple[Band, ...]) -> tuple[list[BandRule], dict[str, str]]:
    """The classification rules of ``bands`` and each grade's label (once per content)."""
    return [BandRule(b.grade, b.min) for b in bands], {b.grade: b.label for b in bands}


def _grade(bands: tuple[Band, ...], basis: Fraction) -> tuple[str, str]:
    """The grade of ``basis`` and its label."""
    rules, labels = _band_rules(bands)
    grade = classify(basis, rules)
    return grade, labels[grade]


def ranked(index_set: IndexSet, units: Sequence[UnitResult]) -> list[UnitResult]:
    """Units ordered by their exact score with competition ranks and tie flags; the
    unscored units (no data) follow, unranked, in Vietnamese name order."""

    def tie_key(u: UnitResult) -> object:
        return collation_key(u.name) if index_set.tie_order == "name" else u.unit_code

    scored = [u for u in units if u.scored]
    unscored = sorted((u for u in units if not u.scored), key=lambda u: collation_key(u.name))
    out = []
    for unit, position, tied in rank(scored, _rank_score(index_set), tie_key):
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
                unit.has_data,
                unit.scored,
            )
        )
    if index_set.rank_blocks:
        out = _block_ranked(index_set, out, tie_key)
    return out + unscored


def _block_ranked(
    index_set: IndexSet, units: list[UnitResult], tie_key: Callable[[UnitResult], object]
) -> list[UnitResult]:
    """``units`` (ranked overall) with their rank among the units of their ranking block
    (departments, communes: :data:`~chiso.domain.units.RANKING_BLOCKS`)."""
    block_rank: dict[str, int | None] = {}
    for block in RANKING_BLOCKS:
        members = [u for u in units if u.kind in block.kinds]
        for unit, position, _ in rank(members, _rank_score(index_set), tie_key):
            block_rank[unit.unit_code] = position
    return [replace(u, block_rank=block_rank.get(u.unit_code)) for u in units]


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
        quality_flags={i.code: i.quality_flag for i in index_set.indicators if i.quality_flag},
    )
