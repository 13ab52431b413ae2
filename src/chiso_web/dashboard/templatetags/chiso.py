"""Template filters: Vietnamese numbers (decimal comma, thousands dot), machine numbers for
``data-value``, class order and colours."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def vn(value: Any, decimals: int = 2) -> str:
    """``98.3217`` → ``98,32``; ``1229100`` with 0 → ``1.229.100``; None → ``-``."""
    if value is None or value == "":
        return "-"
    try:
        dec = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{dec:,.{int(decimals)}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@register.filter
def vn_points(value: Any) -> str:
    """Points with at most 2 decimals, trailing zeros dropped (30; 8,66; 9,5)."""
    if value is None:
        return "-"
    text = vn(value, 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


@register.filter
def signed(value: Any) -> str:
    """A change with its sign: ``+1,25``, ``-0,50``, ``0``."""
    if value is None:
        return ""
    number = float(value)
    if number == 0:
        return "±0"
    return ("+" if number > 0 else "−") + vn(abs(number), 2)


@register.filter
def machine(value: Any) -> str:
    """A number for ``data-value`` attributes: dot decimals, no grouping; None → ``""``.

    ``{{ 98.32 }}`` would be localised to ``98,32``, which scripts read as 98.
    """
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(str(value)), "f")
    except (InvalidOperation, ValueError):
        return ""


@register.filter
def class_order(grade: Any, bands: Any) -> str:
    """The class's place among ``bands`` (best first: 0 for the top band); ``""`` unscored."""
    grades = [b.get("grade") for b in bands or () if isinstance(b, dict)]
    return str(grades.index(grade)) if grade in grades else ""


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """``mapping|get:key``."""
    return mapping.get(key) if isinstance(mapping, dict) else None
