"""Exact arithmetic from aggregate values to points, totals, grades and ranks.

All numbers are :class:`fractions.Fraction`; nothing is rounded here.  This is
the single place where the scoring rules of an index set are applied, for
computed data and for reported scores alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from chiso.compile.compiler import Aggregation, Atom
from chiso.spec.canonical import Indicator, Measure, Scoring
from chiso.spec.formula import Binary, Call, Literal, Node, Unary, walk

ZERO, ONE = Fraction(0), Fraction(1)


_KEYS: dict[tuple[int, str], tuple[Measure, dict[int, str]]] = {}


def _atom_keys(measure: Measure, aggregation: Aggregation) -> dict[int, str]:
    """Atom keys of a measure's aggregate calls, rendered once per measure object."""
    cached = _KEYS.get((id(measure), aggregation))
    if cached is None or cached[0] is not measure:
        keys = {
            id(node): Atom(measure.table, aggregation, measure.where, node).key
            for node in walk(measure.value)
            if isinstance(node, Call)
        }
        cached = (measure, keys)
        _KEYS[(id(measure), aggregation)] = cached
    return cached[1]


def measure_value(
    measure: Measure, aggregation: Aggregation, atoms: Mapping[str, Fraction]
) -> Fraction:
    """Evaluate a measure's value from its atoms' results."""
    keys = _atom_keys(measure, aggregation)

    def ev(node: Node) -> Fraction:
        match node:
            case Literal(value=Decimal() as d):
                return Fraction(d)
            case Unary(op="-", operand=operand):
                return -ev(operand)
            case Binary(op=op, left=left, right=right):
                a, b = ev(left), ev(right)
                if op == "/":
                    return a / b if b else ZERO
                return {"+": a + b, "-": a - b, "*": a * b}[op]
            case Call():
                return atoms.get(keys[id(node)], ZERO)
        raise AssertionError(f"not a measure value: {node!r}")

    return ev(measure.value)


def points_for(rate: Fraction, maximum: Decimal, scoring: Scoring) -> Fraction:
    """Points for a rate under a scoring rule (rates are clipped to 0–1 first)."""
    top = Fraction(maximum)
    if scoring.kind == "rubric_mean":
        return min(max(rate, ZERO), top)
    rate = min(max(rate, ZERO), ONE)
    if scoring.kind == "lin":
        return top * rate
    if scoring.kind == "thr":
        target = Fraction(scoring.target or 1)
        return top if rate >= target else top * rate / target
    points = ZERO
    for min_rate, band_points in scoring.bands:
        if rate >= Fraction(min_rate):
            points = Fraction(band_points)
    return points


def indicator_points(
    indicator: Indicator, numerator: Fraction, denominator: Fraction
) -> tuple[Fraction | None, Fraction | None, bool]:
    """Return (rate, points, applicable) for a computed indicator.

    A zero denominator follows the indicator's policy: full points, zero, or
    not applicable (removed from the total and the maximum).
    """
    if denominator == 0:
        policy = indicator.zero_denominator
        if policy == "full":
            return None, Fraction(indicator.max), True
        if policy == "zero":
            return None, ZERO, True
        return None, None, False
    rate = numerator / denominator
    return rate, points_for(rate, indicator.max, indicator.scoring), True
