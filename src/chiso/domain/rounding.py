"""Display rounding: done once, in Decimal, with the report's mode.

Examples:
    >>> round_score(Fraction(7866, 80), mode="truncate", decimals=2)
    Decimal('98.32')
    >>> round_score(Fraction(7979, 85), mode="half_up", decimals=1)
    Decimal('93.9')
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache
from typing import Literal

RoundingMode = Literal["truncate", "half_up"]
_MODES = {"truncate": ROUND_DOWN, "half_up": ROUND_HALF_UP}


def to_decimal(value: Fraction, *, digits: int = 28) -> Decimal:
    """Exact-enough Decimal of a fraction (28 significant digits)."""
    with localcontext() as ctx:
        ctx.prec = digits
        return Decimal(value.numerator) / Decimal(value.denominator)


def round_score(value: Fraction, *, mode: RoundingMode, decimals: int) -> Decimal:
    """Round an exact value for display.

    Truncation is applied to the exact fraction, so 96.875 truncates to 96.87
    and 98.3249999… never becomes 98.33.
    """
    quantum = Decimal(1).scaleb(-decimals)
    scaled = value * 10**decimals
    if mode == "truncate":
        whole = (
            scaled.numerator // scaled.denominator
            if scaled >= 0
            else -((-scaled.numerator) // scaled.denominator)
        )
        return (Decimal(whole) * quantum).quantize(quantum)
    with localcontext() as ctx:
        ctx.prec = 60
        return to_decimal(value, digits=60).quantize(quantum, rounding=_MODES[mode])


def format_vn(value: Decimal | int | None, *, decimals: int | None = None) -> str:
    """Vietnamese number format: decimal comma, thousands dot; None → '-'.

    >>> format_vn(Decimal('1229100'))
    '1.229.100'
    >>> format_vn(Decimal('98.32'))
    '98,32'
    """
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}" if decimals is not None else f"{value:,}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@lru_cache(maxsize=1024)
def fraction(value: Decimal) -> Fraction:
    """A decimal of an index set (maximum, target, band minimum) as a fraction, converted
    once: the hot paths compare and multiply with these."""
    return Fraction(value)
