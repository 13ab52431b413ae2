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
from functools import lru_cache
from itertools import pairwise
from typing import TypeVar

from chiso.domain.rounding import fraction

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
        if band.min is None or score >= fraction(band.min):
            return band.grade
    raise ValueError("no band matches; the last band must have min None")


# Marks that make a letter of the Vietnamese alphabet (ă â ê ô ơ ư; đ is its own code
# point) and the five tone marks, in dictionary order (ngang, huyền, hỏi, ngã, sắc, nặng).
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # breve, circumflex, horn
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


@lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple[str, str]:
    """Sort key for Vietnamese names, as the alphabet orders them.

    Letters first — a < ă < â < b < c < d < đ < e < ê < … < o < ô < ơ < … < u < ư —
    ignoring case and tones; equal letters are then ordered by tone (ngang, huyền, hỏi,
    ngã, sắc, nặng), letter by letter.

        >>> sorted(["Ân", "Anh", "Ăn", "Đông", "Dương", "Ơn", "Ôn", "On"], key=collation_key)
        ['Anh', 'Ăn', 'Ân', 'Dương', 'Đông', 'On', 'Ôn', 'Ơn']
        >>> sorted(["Mà", "Má", "Ma", "Mạ", "Mả", "Mã"], key=collation_key)
        ['Ma', 'Mà', 'Mả', 'Mã', 'Má', 'Mạ']
    """
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letters:
            letters[-1] = letters[-1][0] + _LETTER_MARKS[char]
        elif char in _TONES and tones:
            tones[-1] = _TONES[char]
        elif unicodedata.combining(char):
            continue  # a mark Vietnamese does not use: ignored
        else:
            letters.append(("d" + "4") if char == "đ" else char + "0")
            tones.append("0")
    return "".join(letters), "".join(tones)


def rank(
    items: Sequence[T], score: Callable[[T], Fraction | None], tie_key: Callable[[T], object]
) -> list[tuple[T, int | None, bool]]:
    """Order items by score (highest first) and give competition ranks (1, 1, 3).

    Items without a score come last, unranked.  Tied items share a rank and are
    ordered by ``tie_key``; the flag says whether an item is tied.

    Scores are compared exactly, but through their floats first: ``float`` of a
    fraction is correctly rounded, so it never orders two scores the wrong way round,
    and the exact comparison is only made between scores with the same float.
    """
    pairs = [(score(i), i) for i in items]
    unscored = sorted((i for s, i in pairs if s is None), key=tie_key)  # type: ignore[arg-type]
    scored = [(s, float(s), i) for s, i in pairs if s is not None]
    scored.sort(key=lambda p: (-p[1], -p[0], tie_key(p[2])))
    # same[k]: the k-th score equals the one before it
    same = [False] + [a[1] == b[1] and a[0] == b[0] for a, b in pairwise(scored)]
    same.append(False)
    out: list[tuple[T, int | None, bool]] = []
    current = 0
    for pos, (_, _, item) in enumerate(scored):
        if not same[pos]:
            current = pos + 1
        out.append((item, current, same[pos] or same[pos + 1]))
    out += [(i, None, False) for i in unscored]
    return out
