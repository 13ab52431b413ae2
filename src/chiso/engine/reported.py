"""Scores that arrive only as indicator points: the annex cells of a received report.

A reported row carries the points printed for each indicator (``None`` for "-",
not applicable) and, optionally, the printed total.  Rows become
:class:`~chiso.engine.results.IndicatorResult` objects with ``source="reported"``
and are totalled, converted, classified and ranked by :mod:`chiso.engine.totals`,
the same code that finishes computed scores.  A report's own scale and rounding
(10 points in seed 001; truncate 2 in seed 000, half-up 1 in seeds 002 and 003)
are applied with :func:`with_report_settings`.

Examples:
    >>> from chiso.spec.loader import load_index_set
    >>> five = {c: Decimal(5) for c in ("hailong_cs1", "hailong_cs2", "hailong_cs3")}
    >>> cells = {"tien_do": Decimal("27.14"), "dvtt_cs1": Decimal("9.52"),
    ...          "dvtt_cs2": Decimal(4), "sohoa_cs1": Decimal(5), "sohoa_cs2": Decimal(10),
    ...          **five, "hailong_cs3": Decimal("4.52")}
    >>> row = ReportedRow("03286-cu", "UBND xã Mường Đăng", "xa", cells)
    >>> results = score_reported(load_index_set("dienbien-459-2023"), [row],
    ...                          period="2024-11", period_label="tháng 11 năm 2024")
    >>> unit = results.units[0]
    >>> float(unit.total), unit.max, results.rounded(unit.converted), unit.grade
    (70.18, Fraction(80, 1), Decimal('87.72'), 'good')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from chiso.engine.results import IndicatorResult, ResultSet, UnitResult
from chiso.engine.totals import finish_unit, result_set
from chiso.errors import UserError
from chiso.i18n import _
from chiso.spec.canonical import IndexSet, Indicator

__all__ = ["ReportedRow", "score_reported", "with_report_settings"]

_NOT_PRINTED = "not printed in the report"


@dataclass(frozen=True)
class ReportedRow:
    """One unit's row of a received annex.

    Attributes:
        cells: points per indicator code, as printed; ``None`` is a printed "-"
            (not applicable).  An indicator without a key is a column the report
            does not print, also not applicable.
        printed_total: the total as printed, which may be more precise than the
            cells (seeds 001 and 002 print cells to 1 decimal but total the
            hidden values).
    """

    unit_code: str
    name: str
    kind: str
    cells: Mapping[str, Decimal | None]
    printed_total: Decimal | None = None


def _points(row: ReportedRow, ind: Indicator) -> Fraction | None:
    value = row.cells[ind.code]
    if value is None:
        return None
    if not isinstance(value, Decimal):
        raise UserError(
            _("{name}: cell {code} is {kind} “{value}”, not a Decimal").format(
                name=row.name, code=ind.code, kind=type(value).__name__, value=value
            ),
            hint=_("parse printed numbers with Decimal('8.72'), never through float"),
        )
    if not 0 <= value <= ind.max:
        raise UserError(
            _("{name}: cell {code} = {value} is outside 0–{max}").format(
                name=row.name, code=ind.code, value=value, max=ind.max
            ),
            hint=_("check the transcription against the printed annex"),
        )
    return Fraction(value)


def _indicator(row: ReportedRow, ind: Indicator) -> IndicatorResult:
    printed = ind.code in row.cells
    points = _points(row, ind) if printed else None
    return IndicatorResult(
        code=ind.code,
        group=ind.group_code,
        label=ind.label,
        max=ind.max,
        applicable=points is not None,
        in_total=ind.in_total,
        source="reported",
        points=points,
        note=None if printed else _NOT_PRINTED,
    )


def _unit(
    index_set: IndexSet, row: ReportedRow, *, period: str, use_printed_total: bool
) -> UnitResult:
    unknown = sorted(set(row.cells) - {i.code for i in index_set.indicators})
    if unknown:
        raise UserError(
            _("{name}: {names} not in index set {id}").format(
                name=row.name, names=", ".join(unknown), id=index_set.id
            ),
            hint=_("key cells by indicator code: {names}").format(
                names=", ".join(i.code for i in index_set.indicators)
            ),
        )
    override = None
    if use_printed_total and row.printed_total is not None:
        override = Fraction(row.printed_total)
    return finish_unit(
        index_set,
        unit_code=row.unit_code,
        name=row.name,
        kind=row.kind,
        period=period,
        indicators=[_indicator(row, ind) for ind in index_set.indicators],
        total_override=override,
    )


def score_reported(
    index_set: IndexSet,
    rows: Iterable[ReportedRow],
    *,
    period: str,
    period_label: str,
    use_printed_total: bool = False,
) -> ResultSet:
    """Total, convert, classify and rank reported rows like computed ones.

    Args:
        use_printed_total: take each row's printed total (when it has one)
            instead of the sum of its cells; the maximum is still the sum of
            the maxima of the printed, applicable cells.

    Raises:
        UserError: a cell keyed by an unknown code, not a Decimal, or outside
            0–max.
    """
    units = [_unit(index_set, r, period=period, use_printed_total=use_printed_total) for r in rows]
    return result_set(index_set, period=period, period_label=period_label, units=units)


def with_report_settings(
    index_set: IndexSet,
    *,
    scale: Decimal | None = None,
    rounding_mode: Literal["truncate", "half_up"] | None = None,
    rounding_decimals: int | None = None,
) -> IndexSet:
    """The index set with a report's own scale and display rounding.

    Examples:
        >>> from chiso.spec.loader import load_index_set
        >>> s = with_report_settings(load_index_set("dienbien-459-2023"), scale=Decimal(10),
        ...                          rounding_mode="half_up")
        >>> s.scale, s.rounding_mode, s.rounding_decimals
        (Decimal('10'), 'half_up', 2)
    """
    if scale is not None and scale <= 0:
        raise UserError(
            _("scale must be positive, got {scale}").format(scale=scale), hint=_("use 100 or 10")
        )
    if rounding_mode not in (None, "truncate", "half_up"):
        raise UserError(
            _("unknown rounding mode “{rounding_mode}”").format(rounding_mode=rounding_mode),
            hint=_("truncate or half_up"),
        )
    if rounding_decimals is not None and not 0 <= rounding_decimals <= 4:
        raise UserError(
            _("rounding decimals must be 0–4, got {rounding_decimals}").format(
                rounding_decimals=rounding_decimals
            )
        )
    return replace(
        index_set,
        scale=index_set.scale if scale is None else scale,
        rounding_mode=rounding_mode or index_set.rounding_mode,
        rounding_decimals=index_set.rounding_decimals
        if rounding_decimals is None
        else rounding_decimals,
    )
