"""Scored results: per indicator, per unit, per period; JSON and CSV shapes.

The JSON shape is documented in ``docs/cli.md`` (``chiso score --format json``).
Exact values are fractions; JSON shows them as numbers with 6 decimals and the
converted score also rounded by the index set's (or report's) rounding rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from chiso.domain.rounding import RoundingMode, round_score, to_decimal

Source = Literal["computed", "manual", "reported"]
EXACT = Decimal("0.000001")


def exact(value: Fraction | Decimal | None) -> float | None:
    """A fraction as a JSON number with 6 decimals (half-up)."""
    if value is None:
        return None
    dec = to_decimal(value) if isinstance(value, Fraction) else value
    return float(dec.quantize(EXACT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of one unit in one period."""

    code: str
    group: str
    label: str
    max: Decimal
    applicable: bool
    in_total: bool
    source: Source
    numerator: Fraction | None = None
    denominator: Fraction | None = None
    rate: Fraction | None = None
    points: Fraction | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON object of the documented shape."""
        return {
            "code": self.code,
            "group": self.group,
            "numerator": exact(self.numerator),
            "denominator": exact(self.denominator),
            "rate": exact(self.rate),
            "points": exact(self.points) if self.applicable else None,
            "max": float(self.max),
            "applicable": self.applicable,
            "source": self.source,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class UnitResult:
    """A unit's scored row: indicators, total, converted score, grade, rank."""

    unit_code: str
    name: str
    kind: str
    period: str
    indicators: tuple[IndicatorResult, ...]
    total: Fraction
    max: Fraction
    converted: Fraction | None
    grade: str | None
    grade_label: str | None
    rank: int | None = None
    tied: bool = False

    def indicator(self, code: str) -> IndicatorResult:
        """The result of indicator ``code``."""
        return next(i for i in self.indicators if i.code == code)

    def group_points(self) -> dict[str, Fraction | None]:
        """Sum of applicable points per group (None when nothing applies)."""
        out: dict[str, Fraction | None] = {}
        for ind in self.indicators:
            if not ind.in_total:
                continue
            current = out.get(ind.group)
            if ind.applicable and ind.points is not None:
                out[ind.group] = (current or Fraction(0)) + ind.points
            else:
                out.setdefault(ind.group, None)
        return out


@dataclass
class ResultSet:
    """Results of one index set for one period, ranked."""

    index_set: str
    index_set_version: int
    period: str
    period_label: str
    scale: Decimal
    rounding_mode: RoundingMode
    rounding_decimals: int
    units: list[UnitResult] = field(default_factory=list)

    def rounded(self, value: Fraction | None) -> Decimal | None:
        """Display value of a converted score under this result's rounding."""
        if value is None:
            return None
        return round_score(value, mode=self.rounding_mode, decimals=self.rounding_decimals)

    def unit(self, code: str) -> UnitResult:
        """The row of unit ``code``."""
        return next(u for u in self.units if u.unit_code == code)

    def to_json(self) -> dict[str, Any]:
        """JSON document of the documented shape."""
        return {
            "index_set": self.index_set,
            "index_set_version": self.index_set_version,
            "period": self.period,
            "period_label": self.period_label,
            "scale": float(self.scale),
            "rounding": {"mode": self.rounding_mode, "decimals": self.rounding_decimals},
            "units": [self._unit_json(u) for u in self.units],
        }

    def _unit_json(self, unit: UnitResult) -> dict[str, Any]:
        rounded = self.rounded(unit.converted)
        return {
            "unit_code": unit.unit_code,
            "name": unit.name,
            "kind": unit.kind,
            "total": exact(unit.total),
            "max": exact(unit.max),
            "converted": float(rounded) if rounded is not None else None,
            "converted_exact": exact(unit.converted),
            "class": unit.grade,
            "class_label": unit.grade_label,
            "rank": unit.rank,
            "tied": unit.tied,
            "indicators": [i.to_json() for i in unit.indicators],
        }
