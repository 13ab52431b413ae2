"""Exact arithmetic from aggregate values to points, totals, grades and ranks.

All numbers are :class:`fractions.Fraction`; nothing is rounded here.  This is
the single place where the scoring rules of an index set are applied, for
computed data and for reported scores alike.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from chiso.compile.compiler import Aggregation, Atom
from chiso.domain.rounding import fraction
from chiso.spec.canonical import Indicator, Measure, Scoring
from chiso.spec.formula import Binary, Call, Literal, Node, Unary, walk

ZERO, ONE = Fraction(0), Fraction(1)


Exact = int | Fraction  # counts and integer sums stay ints until a division
Evaluator = Callable[[Mapping[str, Exact]], Exact]
_ARITHMETIC: dict[str, Callable[[Exact, Exact], Exact]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": lambda a, b: Fraction(a, b) if b else ZERO,
}


def _compile(node: Node, keys: Mapping[int, str]) -> Evaluator:
    """A closure evaluating a measure value from its atoms (built once per measure)."""
    match node:
        case Literal(value=Decimal() as d):
            constant: Exact = int(d) if d == d.to_integral_value() else Fraction(d)
            return lambda atoms: constant
        case Unary(op="-", operand=operand):
            inner = _compile(operand, keys)
            return lambda atoms: -inner(atoms)
        case Binary(op=op, left=left, right=right):
            a, b, apply = _compile(left, keys), _compile(right, keys), _ARITHMETIC[op]
            return lambda atoms: apply(a(atoms), b(atoms))
        case Call():
            key = keys[id(node)]
            return lambda atoms: atoms.get(key, 0)
    raise AssertionError(f"not a measure value: {node!r}")


@functools.lru_cache(maxsize=1024)
def measure_evaluator(measure: Measure, aggregation: Aggregation) -> Evaluator:
    """The compiled value of a measure (cached per measure content and aggregation)."""
    keys = {
        id(node): Atom(measure.table, aggregation, measure.where, node).key
        for node in walk(measure.value)
        if isinstance(node, Call)
    }
    return _compile(measure.value, keys)


def ratio_sum(pairs: Iterable[tuple[int, int]]) -> Fraction:
    """The exact sum of (numerator, denominator) pairs, normalised once.

    >>> ratio_sum([(1, 2), (2, 6), (1, 6)])
    Fraction(1, 1)
    """
    num, den = 0, 1
    for n, d in pairs:
        if d == den:
            num += n
        else:
            num, den = num * d + n * den, den * d
    return Fraction(num, den)


def points_for(rate: Fraction, maximum: Decimal, scoring: Scoring) -> Fraction:
    """Points for a rate under a scoring rule (rates are clipped to 0–1 first)."""
    top = fraction(maximum)
    if scoring.kind == "rubric_mean":
        return min(max(rate, ZERO), top)
    rule = count_rule(scoring, top.as_integer_ratio())
    if rule is not None:
        return Fraction(*rule(rate.numerator, rate.denominator))
    rate = min(max(rate, ZERO), ONE)
    points = ZERO
    for min_rate, band_points in scoring.bands:
        if rate >= fraction(min_rate):
            points = fraction(band_points)
    return points


CountRule = Callable[[int, int], tuple[int, int]]


@lru_cache(maxsize=1024)
def count_rule(scoring: Scoring, top: tuple[int, int]) -> CountRule | None:
    """The LIN or THR rule for a maximum ``top`` (as a ratio), on integers: from the rate
    ``num / den`` (``den > 0``), clipped to 0–1, to the points as an unreduced
    (numerator, denominator).  None for the other kinds.  A score makes no fraction per
    indicator with it (built once per rule and maximum).

    >>> from chiso.spec.canonical import Scoring
    >>> count_rule(Scoring("lin"), (30, 1))(9, 12)
    (270, 12)
    >>> count_rule(Scoring("thr", target=Decimal("0.9")), (5, 1))(9, 12)
    (450, 108)
    """
    tn, td = top
    if scoring.kind == "lin":

        def lin(num: int, den: int) -> tuple[int, int]:
            n = num if 0 <= num <= den else min(max(num, 0), den)
            return tn * n, td * den

        return lin
    if scoring.kind == "thr":
        gn, gd = fraction(scoring.target).as_integer_ratio() if scoring.target else (1, 1)

        def thr(num: int, den: int) -> tuple[int, int]:
            n = min(max(num, 0), den)
            return (tn, td) if n * gd >= gn * den else (tn * gd * n, td * gn * den)

        return thr
    return None


def indicator_points(
    indicator: Indicator, numerator: Exact, denominator: Exact
) -> tuple[Fraction | None, Fraction | None, bool]:
    """Return (rate, points, applicable) for a computed indicator.

    A zero denominator follows the indicator's policy: full points, zero, or
    not applicable (removed from the total and the maximum).
    """
    if denominator == 0:
        policy = indicator.zero_denominator
        if policy == "full":
            return None, fraction(indicator.max), True
        if policy == "zero":
            return None, ZERO, True
        return None, None, False
    rate = Fraction(numerator, denominator)
    return rate, points_for(rate, indicator.max, indicator.scoring), True
