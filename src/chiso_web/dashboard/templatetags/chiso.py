"""Template filters: Vietnamese numbers (decimal comma, thousands dot), machine numbers for
``data-value``, class order and colours; periods, dates and coded values in Vietnamese."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext

from chiso.api import column_label, kinds_label, value_label
from chiso.api import period_choices as choices
from chiso.api import period_shown as shown
from chiso.errors import UserError
from chiso_web.public.templatetags.published import vn_time

register = template.Library()
register.filter("vn_time", vn_time)


@register.filter
def period_vn(code: Any) -> str:
    """``2026-09`` → ``tháng 9/2026``, ``2026-Q3`` → ``quý III/2026``; not a period: as is."""
    return shown(str(code or ""))


@register.inclusion_tag("_period_picker.html")
def period_picker(current: Any, label: str = "", blank: str = "") -> dict[str, Any]:
    """A ``<select name="period">`` of months, quarters, halves and years by year, newest
    first, with ``current`` (a code) selected; a code not offered (a range) is kept on top.
    ``blank``: the text of a first, empty choice (the period is optional)."""
    from chiso_web import data  # the site's clock; templatetags load before the data service

    current = str(current or "")
    groups = [(year, [(p.code, p.shown) for p in periods]) for year, periods in choices(data.now())]
    offered = {code for _, options in groups for code, _ in options}
    extra = (current, shown(current)) if current and current not in offered else None
    label = label or gettext("Period")
    return {"groups": groups, "current": current, "extra": extra, "label": label, "blank": blank}


@register.filter
def index_set_label(code: Any) -> str:
    """A shipped index set's short name (``dienbien-459-2023`` → ``Bộ chỉ số Điện Biên
    (QĐ 459/2023)``); an unknown id as it is."""
    from chiso_web import data

    try:
        return data.index_set(str(code)).short_label
    except UserError:  # an id that is no longer shipped is shown as it is
        return str(code)


@register.filter
def vn_date(value: Any) -> str:
    """``2026-10-29`` (or an instant) → ``29/10/2026``; empty → ``-``."""
    if not value:
        return "-"
    text = vn_time(value)
    return text[:10] if text[2:3] == "/" else text


@register.filter
def col_label(column: Any) -> str:
    """A canonical column's Vietnamese header (``received_at`` → ``Ngày tiếp nhận``)."""
    return column_label(str(column))


@register.filter
def val_label(value: Any, column: str) -> str:
    """A coded value's Vietnamese label: ``{{ d.channel|val_label:"channel" }}``."""
    return value_label(column, value)


@register.filter
def kinds_vn(kinds: Any) -> str:
    """Unit kinds as words (``["tinh"]`` → ``Tỉnh``; empty → ``mọi đơn vị``)."""
    return kinds_label(list(kinds) if kinds else None)


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
def label_of(code: Any, items: Any) -> Any:
    """The ``label`` of the item of ``items`` whose ``code`` is ``code`` (``{{ i.group|
    label_of:doc.groups }}``); the code when none has it."""
    for item in items or ():
        if isinstance(item, dict) and item.get("code") == code:
            return item.get("label") or code
    return code


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """``mapping|get:key``."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def block_rows(doc: dict[str, Any], block: dict[str, Any]) -> list[dict[str, Any]]:
    """The ranking rows of one block (``doc["blocks"]``), in the block's order with its
    ranks: the unit's row of ``doc["units"]`` with the block's rank and tie."""
    rows = {row["unit_code"]: row for row in doc["units"]}
    return [
        {**rows[u["unit_code"]], "rank": u["rank"], "tied": u["tied"], "previous": None}
        for u in block["units"]
    ]  # the previous rank is the combined list's: beside a block's rank it would mislead
