"""Annex tables as data: header grid, section and unit rows, cells with value and text.

One model feeds both renderers: :mod:`chiso.reports.xlsx` writes numbers as
numbers with a Vietnamese number format, :mod:`chiso.reports.docx` prints the
texts.  This module builds Biểu 01 (scores); :mod:`chiso.reports.annex_stats`
builds Biểu 02 (fees) and Biểu 03 (digitisation).

Examples:
    >>> number(Decimal("8.660"), 2).text, number(Decimal("1229100"), 0).text
    ('8,66', '1.229.100')
    >>> number(None, 2).text
    '-'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

from chiso.domain.rounding import format_vn, to_decimal
from chiso.engine.coverage import NO_DATA
from chiso.engine.results import ResultSet, UnitResult
from chiso.spec.canonical import IndexSet

__all__ = [
    "Annex",
    "Cell",
    "HeaderCell",
    "Row",
    "UnitSection",
    "number",
    "score_annex",
    "score_header",
    "score_tail",
    "score_widths",
    "text",
]

DASH_NOTE = (
    "Các chỉ số đánh giá bởi dấu (-) là nhiệm vụ các cơ quan, đơn vị, địa phương không phải "
    "thực hiện hoặc chưa đến thời điểm báo cáo."
)


@dataclass(frozen=True)
class Cell:
    """A printed cell: ``text`` as printed; ``value`` numeric (None for text or "-").

    ``decimals`` and ``suffix`` give the number format ("78,66/80" is 78.66 with
    suffix "/80"); ``dash_zero`` prints 0 as "-" (fee amounts, seed 002).
    """

    text: str
    value: Decimal | None = None
    decimals: int = 0
    suffix: str = ""
    dash_zero: bool = False
    align: Literal["left", "center", "right"] = "center"


def text(value: str, *, align: Literal["left", "center", "right"] = "center") -> Cell:
    """A text cell."""
    return Cell(value, align=align)


def number(
    value: Decimal | int | None, decimals: int, *, suffix: str = "", dash_zero: bool = False
) -> Cell:
    """A numeric cell rounded half-up to ``decimals`` and printed the Vietnamese way."""
    if value is None:
        return Cell("-")
    dec = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    shown = "-" if dash_zero and dec == 0 else format_vn(dec, decimals=decimals) + suffix
    return Cell(shown, dec, decimals, suffix, dash_zero)


def points(value: Fraction | None, decimals: int, *, suffix: str = "", exact: bool = False) -> Cell:
    """Points to at most ``decimals`` decimals, trailing zeros dropped (30; 8,66; 9,5).

    ``exact``: a reported value with at most three decimals is printed as received
    (seed 002's 4,545), never re-rounded.
    """
    if value is None:
        return Cell("-")
    if exact and (value * 1000).denominator == 1:
        decimals = max(decimals, 3)
    dec = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    shown = dec.normalize()
    places = max(0, -int(shown.as_tuple().exponent))
    return number(dec, places, suffix=suffix)


@dataclass(frozen=True)
class HeaderCell:
    """One merged header cell of the grid (0-based row and column)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Row:
    """A table row: a section heading ("I", title), a unit, a total or a legend."""

    kind: Literal["section", "unit", "total", "legend"]
    cells: tuple[Cell, ...]
    unit_code: str | None = None

    def texts(self, keys: Sequence[str]) -> dict[str, str]:
        """Cell texts by column key, for the Word template's tags."""
        return {k: c.text for k, c in zip(keys, self.cells, strict=True)}


@dataclass(frozen=True)
class Annex:
    """One annex table with its titles, header grid, rows and notes."""

    key: str
    label: str
    title: str
    keys: tuple[str, ...]
    widths: tuple[float, ...]
    header: tuple[HeaderCell, ...]
    header_rows: int
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    period_note: str = ""

    def template_rows(self) -> list[dict[str, object]]:
        """Rows for docxtpl: ``{"kind": ..., "c": {key: text}}``."""
        return [{"kind": r.kind, "c": r.texts(self.keys)} for r in self.rows]


@dataclass(frozen=True)
class UnitSection:
    """Units of one annex section, in rank order; ``numeral`` "I", "II"… or ""."""

    numeral: str
    title: str
    units: tuple[UnitResult, ...] = field(default=())


def score_header(index_set: IndexSet, extra: Sequence[str]) -> tuple[list[HeaderCell], int]:
    """The Biểu 01 header grid: caption over groups over indicators (with maxima)."""
    groups = [g for g in index_set.groups if any(i.in_total for i in g.indicators)]
    one_group = len(groups) == 1
    depth = 2 if one_group else 3
    n = sum(1 for g in groups for i in g.indicators if i.in_total)
    caption = groups[0].label.upper() if one_group else "ĐIỂM CÁC CHỈ SỐ"
    cells = [
        HeaderCell(0, 0, "STT", rowspan=depth),
        HeaderCell(0, 1, "TÊN CƠ QUAN, ĐƠN VỊ", rowspan=depth),
        HeaderCell(0, 2, caption, colspan=n),
    ]
    col = 2
    for group in groups:
        inds = [i for i in group.indicators if i.in_total]
        if one_group:
            cells += [HeaderCell(1, col + k, i.label) for k, i in enumerate(inds)]
        elif len(inds) == 1:
            cells.append(HeaderCell(1, col, f"{group.label} ({format_vn(inds[0].max)}đ)", 2))
        else:
            cells.append(HeaderCell(1, col, group.label, colspan=len(inds)))
            cells += [
                HeaderCell(2, col + k, f"{i.label} ({format_vn(i.max)}đ)")
                for k, i in enumerate(inds)
            ]
        col += len(inds)
    for k, label in enumerate(extra):
        cells.append(HeaderCell(0, col + k, label, rowspan=depth))
    return cells, depth


def score_tail(
    index_set: IndexSet, extra_columns: Sequence[tuple[str, str, object]] = ()
) -> tuple[list[str], tuple[str, ...]]:
    """Headers of the columns after the indicators, and every column key of Biểu 01."""
    converted = index_set.classification_basis == "converted"
    tail = ["TỔNG ĐIỂM ĐẠT ĐƯỢC", *(["TỔNG ĐIỂM QUY ĐỔI"] if converted else [])]
    tail += [h for _, h, _ in extra_columns] + ["XẾP LOẠI"]
    codes = [i.code for i in index_set.indicators if i.in_total]
    keys = ("stt", "name", *codes, "total", *(["converted"] if converted else []))
    keys += (*(k for k, _, _ in extra_columns), "grade")
    return tail, keys


def score_widths(keys: Sequence[str], indicators: int) -> tuple[float, ...]:
    """Starting column widths of Biểu 01 in millimetres (a landscape A4 page holds 252).

    The Word report lays its annexes out again from their content
    (:mod:`chiso.reports.table_fit`); these widths shape the template and the XLSX.
    """
    fixed = {"stt": 11.0, "name": 50.0, "total": 18.0, "converted": 16.0, "grade": 20.0}
    rest = 13.0 if indicators <= 10 else 133.0 / indicators
    return tuple(fixed.get(k, rest) for k in keys)


def _grade_text(unit: UnitResult, index_set: IndexSet, style: str) -> str:
    band = next((b for b in index_set.bands if b.grade == unit.grade), None)
    if band is None:
        return "-"
    return band.abbrev if style == "abbrev" else band.label


def _unit_row(
    n: int,
    unit: UnitResult,
    results: ResultSet,
    index_set: IndexSet,
    *,
    decimals: int,
    total_style: str,
    grade_style: str,
    extra: Sequence[Cell],
) -> Row:
    cells = [number(n, 0), text(unit.name, align="left")]
    if not unit.scored:  # no data in the period: no points, score or class, said once
        scores = 2 if results.scale and index_set.classification_basis == "converted" else 1
        blank = [text("")] * (sum(1 for i in index_set.indicators if i.in_total) + scores)
        return Row("unit", (*cells, *blank, *extra, text(NO_DATA)), unit.unit_code)
    for ind in index_set.indicators:
        if ind.in_total:
            res = unit.indicator(ind.code)
            value = res.points if res.applicable else None
            cells.append(points(value, decimals, exact=res.source == "reported"))
    suffix = "/" + points(unit.max, 2).text if total_style == "over_max" else ""
    cells.append(points(unit.total if unit.max else None, decimals, suffix=suffix))
    if results.scale and index_set.classification_basis == "converted":
        rounded = results.rounded(unit.converted)
        cells.append(number(rounded, results.rounding_decimals))
    cells += list(extra)
    cells.append(text(_grade_text(unit, index_set, grade_style)))
    return Row("unit", tuple(cells), unit.unit_code)


def score_annex(
    results: ResultSet,
    index_set: IndexSet,
    sections: Sequence[UnitSection],
    *,
    title: str,
    decimals: int = 2,
    total_style: str = "plain",
    grade_style: str = "full",
    extra_columns: Sequence[tuple[str, str, dict[str, Cell]]] = (),
) -> Annex:
    """Biểu 01: the scores, one row per unit, section rows between sections.

    Args:
        extra_columns: (key, header, cells by unit code) printed before the class,
            e.g. seed 004's "ĐTB CCVC".
    """
    tail, keys = score_tail(index_set, extra_columns)
    header, depth = score_header(index_set, tail)
    codes = [i.code for i in index_set.indicators if i.in_total]
    rows: list[Row] = []
    for section in sections:
        if section.title:
            blank = tuple(text("") for _ in keys[2:])
            title_cell = text(section.title.upper(), align="left")
            rows.append(Row("section", (text(section.numeral), title_cell, *blank)))
        for n, unit in enumerate(section.units, start=1):
            extra = [cells.get(unit.unit_code, Cell("-")) for _, _, cells in extra_columns]
            rows.append(
                _unit_row(
                    n,
                    unit,
                    results,
                    index_set,
                    decimals=decimals,
                    total_style=total_style,
                    grade_style=grade_style,
                    extra=extra,
                )
            )
    notes = _score_notes(rows, index_set, grade_style)
    widths = score_widths(keys, len(codes))
    return Annex("bieu_01", "Biểu số 01", title, keys, widths, tuple(header), depth, tuple(rows),
                 notes)  # fmt: skip


def _score_notes(rows: Sequence[Row], index_set: IndexSet, grade_style: str) -> tuple[str, ...]:
    notes = []
    if any(c.text == "-" for r in rows if r.kind == "unit" for c in r.cells):
        notes.append(DASH_NOTE)
    if grade_style == "abbrev":
        legend = [f"{b.abbrev} - {b.label}" for b in index_set.bands if b.abbrev != b.label]
        if legend:
            notes.append("Các chữ viết tắt: " + ", ".join(legend) + ".")
    return tuple(notes)
