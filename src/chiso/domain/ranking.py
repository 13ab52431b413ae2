"""Classification by bands and ranking with explicit ties.

Grades and ranks are decided on the exact (unrounded) score; only the printed
value is rounded.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class BandRule:
    """``grade`` applies from ``min`` (inclusive) upwards; None = catch-all."""

    grade: str
    min: Decimal | None


def classify(score: Fraction, bands: Sequence[BandRule]) -> str:
    """Return the grade of the first band whose minimum ``score`` reaches.

    >>> rules = [BandRule("excellent", Decimal(90)), BandRule("good", Decimal(80)),
    ...          BandRule("weak", None)]
    >>> classify(Fraction(90), rules), classify(Fraction(8999, 100), rules)
    ('excellent', 'good')
    """
    for band in bands:
        if band.min is None or score >= Fraction(band.min):
            return band.grade
    raise ValueError("no band matches; the last band must have min None")


def collation_key(text: str) -> tuple[str, str]:
    """Sort key for Vietnamese names: base letters first, then diacritics."""
    nfd = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d\uffff")
    base = "".join(c for c in nfd if not unicodedata.combining(c))
    return base, nfd


def rank(
    items: Sequence[T], score: Callable[[T], Fraction | None], tie_key: Callable[[T], object]
) -> list[tuple[T, int | None, bool]]:
    """Order items by score (highest first) and give competition ranks (1, 1, 3).

    Items without a score come last, unranked.  Tied items share a rank and are
    ordered by ``tie_key``; the flag says whether an item is tied.
    """
    scored = [i for i in items if score(i) is not None]
    unscored = sorted((i for i in items if score(i) is None), key=tie_key)  # type: ignore[arg-type]
    ordered = sorted(scored, key=lambda i: (-score(i), tie_key(i)))  # type: ignore[operator]
    values = [score(i) for i in ordered]
    counts: dict[Fraction | None, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    out: list[tuple[T, int | None, bool]] = []
    current = 0
    for pos, (item, value) in enumerate(zip(ordered, values, strict=True)):
        if pos == 0 or value != values[pos - 1]:
            current = pos + 1
        out.append((item, current, counts[value] > 1))
    out += [(i, None, False) for i in unscored]
    return out
