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

from chiso.contracts.scores import IndicatorScore, Rounding, Scores, UnitScore
from chiso.domain.rounding import RoundingMode, round_score, to_decimal

Source = Literal["computed", "manual", "reported"]
EXACT = Decimal("0.000001")


def exact(value: Fraction | Decimal | None) -> float | None:
    """A fraction as a JSON number with 6 decimals (half-up)."""
    if value is None:
        return None
    dec = to_decimal(value) if isinstance(value, Fraction) else value
    return float(dec.quantize(EXACT, rounding=ROUND_HALF_UP))


_LAZY: Any = object()
#: What an indicator's results share: code, group, label, maximum, in_total.
Head = tuple[str, str, str, Decimal, bool]


class IndicatorResult:
    """One indicator of one unit in one period (read-only).

    Not a frozen dataclass, for speed: a full-year score builds one per unit, month and
    indicator (8,448 for Điện Biên under QĐ 459), and a frozen dataclass costs 2 µs to
    build.  The attributes are read-only properties over slots.  An indicator over
    counts (:meth:`from_counts`) keeps its integers and makes its rate and points as
    fractions only when they are read; totals add its points from the integers
    (:meth:`points_ratio`).
    """

    __slots__ = (
        "_applicable", "_code", "_denominator", "_group", "_in_total", "_label", "_max",
        "_note", "_numerator", "_points", "_rate", "_ratio", "_source",
    )  # fmt: skip
    _numerator: Fraction | int | None
    _denominator: Fraction | int | None
    _rate: Fraction | None
    _points: Fraction | None
    #: The points of a result over counts as (numerator, denominator), not in lowest terms.
    _ratio: tuple[int, int] | None

    def __init__(
        self,
        code: str,
        group: str,
        label: str,
        max: Decimal,
        applicable: bool,
        in_total: bool,
        source: Source,
        numerator: Fraction | int | None = None,
        denominator: Fraction | int | None = None,
        rate: Fraction | None = None,
        points: Fraction | None = None,
        note: str | None = None,
    ) -> None:
        self._code, self._group, self._label, self._max = code, group, label, max
        self._applicable, self._in_total, self._source = applicable, in_total, source
        self._numerator, self._denominator, self._rate, self._points = (
            numerator, denominator, rate, points,
        )  # fmt: skip
        self._note, self._ratio = note, None

    @classmethod
    def from_counts(
        cls, head: Head, numerator: int, denominator: int, points: tuple[int, int]
    ) -> IndicatorResult:
        """An applicable computed indicator over counts (``denominator > 0``), its points
        an unreduced (numerator, denominator): the rate and points become fractions
        only when read.  ``head``: code, group, label, maximum and in_total."""
        result = object.__new__(cls)
        result._code, result._group, result._label, result._max, result._in_total = head
        result._applicable, result._source, result._note = True, "computed", None
        result._numerator, result._denominator, result._ratio = numerator, denominator, points
        result._rate = result._points = _LAZY
        return result

    @property
    def code(self) -> str:
        """Indicator code."""
        return self._code

    @property
    def group(self) -> str:
        """Group code."""
        return self._group

    @property
    def label(self) -> str:
        """Indicator label (Vietnamese)."""
        return self._label

    @property
    def max(self) -> Decimal:
        """Maximum points."""
        return self._max

    @property
    def applicable(self) -> bool:
        """Whether it counts in the total and the maximum."""
        return self._applicable

    @property
    def in_total(self) -> bool:
        """Whether it is part of the index total."""
        return self._in_total

    @property
    def source(self) -> Source:
        """computed, manual or reported."""
        return self._source

    @property
    def note(self) -> str | None:
        """Why there are no points, when there are none."""
        return self._note

    @property
    def numerator(self) -> Fraction | None:
        """Value of the numerator measure."""
        n = self._numerator
        return n if n is None or type(n) is Fraction else Fraction(n)

    @property
    def denominator(self) -> Fraction | None:
        """Value of the denominator measure."""
        d = self._denominator
        return d if d is None or type(d) is Fraction else Fraction(d)

    @property
    def rate(self) -> Fraction | None:
        """numerator ÷ denominator (None for a zero denominator or no measures)."""
        if self._rate is _LAZY:
            assert type(self._numerator) is int and type(self._denominator) is int
            self._rate = Fraction(self._numerator, self._denominator)
        return self._rate

    @property
    def points(self) -> Fraction | None:
        """Points achieved (None when not applicable or not entered)."""
        if self._points is _LAZY:
            assert self._ratio is not None
            self._points = Fraction(*self._ratio)
        return self._points

    def total_terms(self) -> tuple[tuple[int, int], Decimal] | None:
        """What the unit's total adds: the points (:meth:`points_ratio`) and the
        maximum, or None when the indicator is not counted (not in the total, or not
        applicable)."""
        if not (self._in_total and self._applicable):
            return None
        return self._ratio or self.points_ratio(), self._max

    def points_ratio(self) -> tuple[int, int]:
        """Points as (numerator, denominator) integers, not necessarily in lowest terms
        (0/1 for none): what a total adds, without making a fraction per indicator."""
        if self._ratio is not None:
            return self._ratio
        points = self._points
        return (0, 1) if points is None else (points.numerator, points.denominator)

    def _key(self) -> tuple[object, ...]:
        return (
            self.code, self.group, self.label, self.max, self.applicable, self.in_total,
            self.source, self.numerator, self.denominator, self.rate, self.points, self.note,
        )  # fmt: skip

    def __reduce__(self) -> tuple[type[IndicatorResult], tuple[object, ...]]:
        """Pickled with its values made (the lazy marker is not kept across processes)."""
        return IndicatorResult, self._key()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndicatorResult) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        names = ("code", "group", "label", "max", "applicable", "in_total", "source",
                 "numerator", "denominator", "rate", "points", "note")  # fmt: skip
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._key(), strict=True))
        return f"IndicatorResult({fields})"

    def contract(self, quality_flag: str | None = None) -> IndicatorScore:
        """This result as its JSON contract (:class:`chiso.contracts.scores.IndicatorScore`),
        with the index set's data-quality caveat of a scored indicator."""
        return IndicatorScore(
            code=self.code,
            group=self.group,
            numerator=exact(self.numerator),
            denominator=exact(self.denominator),
            rate=exact(self.rate),
            points=exact(self.points) if self.applicable else None,
            max=float(self.max),
            applicable=self.applicable,
            source=self.source,
            note=self.note or None,
            quality_flag=quality_flag if self.applicable else None,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON object of the documented shape."""
        return self.contract().dump()


@dataclass(frozen=True)
class UnitResult:
    """A unit's scored row: indicators, total, converted score, grade, rank.

    ``has_data``: whether the unit has data in the period (:mod:`chiso.engine.coverage`);
    ``scored`` False: it has none and the index set leaves such units unscored, so its
    converted score, grade and rank are None and its total is not shown (the indicators
    keep what the index set's rules give them).
    """

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
    has_data: bool = True
    scored: bool = True
    #: Rank among the units of its ranking block (departments, communes), when the index
    #: set ranks blocks (:data:`chiso.domain.units.RANKING_BLOCKS`).
    block_rank: int | None = None

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
    #: Indicator code → data-quality caveat its scores carry (the index set's quality_flag).
    quality_flags: dict[str, str] = field(default_factory=dict)

    def rounded(self, value: Fraction | None) -> Decimal | None:
        """Display value of a converted score under this result's rounding."""
        if value is None:
            return None
        return round_score(value, mode=self.rounding_mode, decimals=self.rounding_decimals)

    def unit(self, code: str) -> UnitResult:
        """The row of unit ``code``."""
        return next(u for u in self.units if u.unit_code == code)

    def contract(self) -> Scores:
        """These results as their JSON contract (:class:`chiso.contracts.scores.Scores`)."""
        return Scores(
            index_set=self.index_set,
            index_set_version=self.index_set_version,
            period=self.period,
            period_label=self.period_label,
            scale=float(self.scale),
            rounding=Rounding(mode=self.rounding_mode, decimals=self.rounding_decimals),
            units=[self.unit_contract(u) for u in self.units],
        )

    def to_json(self) -> dict[str, Any]:
        """JSON document of the documented shape (``chiso scores --format json``)."""
        return self.contract().dump()

    def unit_flags(self, unit: UnitResult) -> list[str]:
        """The data-quality caveats of the unit's scored indicators, in order."""
        flags = self.quality_flags
        found = (flags.get(i.code) for i in unit.indicators if i.applicable) if flags else ()
        return list(dict.fromkeys(f for f in found if f))

    def unit_contract(self, unit: UnitResult) -> UnitScore:
        """One unit's row as its JSON contract (:class:`chiso.contracts.scores.UnitScore`)."""
        rounded = self.rounded(unit.converted)
        flags = self.quality_flags
        return UnitScore(
            unit_code=unit.unit_code,
            name=unit.name,
            kind=unit.kind,
            has_data=unit.has_data,
            total=exact(unit.total) if unit.scored else None,
            max=exact(unit.max),
            converted=float(rounded) if rounded is not None else None,
            converted_exact=exact(unit.converted),
            grade=unit.grade,
            class_label=unit.grade_label,
            rank=unit.rank,
            tied=unit.tied,
            block_rank=unit.block_rank,
            quality_flags=self.unit_flags(unit),
            indicators=[i.contract(flags.get(i.code)) for i in unit.indicators],
        )

    def _unit_json(self, unit: UnitResult) -> dict[str, Any]:
        return self.unit_contract(unit).dump()
