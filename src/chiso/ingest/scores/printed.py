"""Printed numbers of received reports, read exactly.

Vietnamese documents write a decimal comma and a thousands dot ("98,32",
"1.229.100"); OCR text and some total rows write a decimal point ("72.00",
"92.58%").  A :class:`Printed` keeps the text, the exact ``Decimal`` (with the
printed number of decimals) and whether a lost decimal mark was restored.

Examples:
    >>> read_number("8,72").value, read_number("1.229.100").value
    (Decimal('8.72'), Decimal('1229100'))
    >>> read_number("4.545", limit=Decimal(10)).value
    Decimal('4.545')
    >>> read_number("47", limit=Decimal(5)).value
    Decimal('4.7')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NUMBER", "Printed", "half_unit", "is_number", "read_number"]

#: A printed number: digits with an optional decimal comma or point, thousands dots,
#: an optional percent sign ("98,28", "1.229.100", "92.58%").
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*%?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_BLANK = {"", "-", "–", "—"}


@dataclass(frozen=True)
class Printed:
    """A number as printed: its text, exact value and whether a decimal mark was restored."""

    text: str
    value: Decimal
    restored: bool = False

    @property
    def decimals(self) -> int:
        """Decimals printed (after restoration)."""
        exponent = self.value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def is_number(text: str) -> bool:
    """Whether ``text`` is a printed number (not a dash, word or blank)."""
    return bool(NUMBER.match(text.strip()))


def _restore(digits: str, limit: Decimal) -> Decimal | None:
    """The largest reading of ``digits`` with a decimal point inserted that fits ``limit``."""
    for cut in range(len(digits) - 1, 0, -1):
        value = Decimal(f"{digits[:cut]}.{digits[cut:]}")
        if value <= limit:
            return value
    return None


def read_number(text: str, *, limit: Decimal | None = None) -> Printed | None:
    """Read a printed number; ``None`` for a blank or a dash.

    Args:
        limit: the largest value the cell may hold (its maximum).  A dotted group of
            three digits is a thousands separator unless that exceeds ``limit``; digits
            without a decimal mark that exceed ``limit`` had their mark lost (OCR) and
            are restored to the largest reading that fits.

    Raises:
        ValueError: the text is not a number.
    """
    raw = text.strip()
    if raw in _BLANK:
        return None
    if not NUMBER.match(raw):
        raise ValueError(f"{text!r} is not a number")
    body = raw.rstrip("%")
    if _THOUSANDS.match(body) and (limit is None or Decimal(body.replace(".", "")) <= limit):
        return Printed(raw, Decimal(body.replace(".", "")))
    if body.count(",") + body.count(".") > 1:
        body = body.replace(".", "")
    try:
        value = Decimal(body.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - excluded by NUMBER
        raise ValueError(f"{text!r} is not a number") from None
    if limit is not None and value > limit and body.isdigit():
        restored = _restore(body, limit)
        if restored is not None:
            return Printed(raw, restored, restored=True)
    return Printed(raw, value)


def half_unit(printed: Printed) -> Decimal:
    """Half a unit of the last printed digit; 0 for an integer (taken as exact)."""
    return Decimal(0) if printed.decimals == 0 else Decimal(5).scaleb(-printed.decimals - 1)
