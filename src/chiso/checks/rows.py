"""Recompute every score row: maximum, total, converted score and class.

Printed cells may be rounded displays of hidden values (seeds 001, 002, 004): a
printed total is accepted when it is within half a unit of each non-integer
cell's last printed digit of the cells' sum (integers are taken as exact).  A
printed total is itself a display (truncated or rounded; "71" for 71,00 of cells
with decimals), so a converted score is accepted when the report's rounding of
some value that displays as the total and agrees with the cells gives it; the
class likewise.  The rounding mode is the one (truncate or half-up) that fits
most rows, the index set's own mode on a tie (seed 000 truncates, 002/003 round
half-up); the number of decimals is the most printed in the column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from chiso.checks.findings import Finding, vn
from chiso.domain.ranking import BandRule, classify
from chiso.domain.rounding import RoundingMode, round_score
from chiso.i18n import _
from chiso.ingest.scores.annex import AnnexRow, AnnexTable
from chiso.ingest.scores.printed import Printed, half_unit
from chiso.spec.canonical import IndexSet

__all__ = ["CheckedRow", "Rounding", "check_rows", "detect_rounding"]


@dataclass(frozen=True)
class Rounding:
    """The report's display rounding of the converted score."""

    mode: RoundingMode
    decimals: int


@dataclass(frozen=True)
class CheckedRow:
    """A printed row with its recomputed maximum, total interval and class."""

    row: AnnexRow
    maximum: Decimal
    total: Decimal
    spread: Decimal
    grade: str | None


def _maximum(table: AnnexTable, row: AnnexRow) -> Decimal:
    maxima = {i.code: i.max for i in table.index_set.indicators}
    return sum((maxima[c] for c, v in row.cells if v is not None), Decimal(0))


def _cells(row: AnnexRow) -> list[Printed]:
    return [v for _, v in row.cells if v is not None]


def _interval(
    base: Decimal, spread: Decimal, maximum: Decimal, scale: Decimal
) -> tuple[Fraction, Fraction]:
    low = Fraction(base - spread) / Fraction(maximum) * Fraction(scale)
    high = Fraction(base + spread) / Fraction(maximum) * Fraction(scale)
    return low, high


def _fits(printed: Decimal, low: Fraction, high: Fraction, rounding: Rounding) -> bool:
    lo = round_score(low, mode=rounding.mode, decimals=rounding.decimals)
    hi = round_score(high, mode=rounding.mode, decimals=rounding.decimals)
    return lo <= printed <= hi


def _fit_counts(table: AnnexTable, decimals: int, *, exact: bool) -> dict[RoundingMode, int]:
    rows = [r for r in table.rows if r.converted is not None and r.total is not None]
    fits: dict[RoundingMode, int] = {"truncate": 0, "half_up": 0}
    for mode in fits:
        rounding = Rounding(mode, decimals)
        for row in rows:
            assert row.total is not None and row.converted is not None
            maximum = _maximum(table, row)
            spread = Decimal(0) if exact else half_unit(row.total)
            if maximum:
                low, high = _interval(row.total.value, spread, maximum, table.scale)
                fits[mode] += _fits(row.converted.value, low, high, rounding)
    return fits


def detect_rounding(table: AnnexTable, *, default: RoundingMode) -> Rounding:
    """The rounding that reproduces most printed converted scores (``default`` on a tie).

    Printed totals are taken as exact first (this decides seeds 000, 002 and 003),
    then as rounded to their last digit (seed 001, whose totals hide decimals).
    """
    decimals = max((r.converted.decimals for r in table.rows if r.converted), default=2)
    for exact in (True, False):
        fits = _fit_counts(table, decimals, exact=exact)
        if fits["truncate"] != fits["half_up"]:
            return Rounding(max(fits, key=lambda m: fits[m]), decimals)
    return Rounding(default, decimals)


def _grades(index_set: IndexSet, basis: tuple[Fraction, Fraction]) -> set[str]:
    rules = [BandRule(b.grade, b.min) for b in index_set.bands]
    return {classify(basis[0], rules), classify(basis[1], rules)}


def _label(index_set: IndexSet, grade: str) -> str:
    return next(b.label for b in index_set.bands if b.grade == grade)


def _total_interval(
    total: Printed, cells: Sequence[Printed], cell_sum: Decimal, tolerance: Decimal
) -> tuple[Decimal, Decimal]:
    """Centre and half-width of the totals that display as ``total`` and agree with the cells.

    A total may be a truncated or a rounded display of the exact sum, so any value within
    one unit of its last digit displays as printed under one of the two modes; an integer
    total of cells with decimals ("71" for 71,00) is a display at the cells' decimals, the
    trailing zeros dropped.  The interval is narrowed to the cells' own.
    """
    decimals = total.decimals or max((c.decimals for c in cells), default=0)
    unit = Decimal(1).scaleb(-decimals) if decimals else Decimal(0)
    low = max(total.value - unit, cell_sum - tolerance)
    high = min(total.value + unit, cell_sum + tolerance)
    if low > high:  # within the cells' tolerance but not the display's: the printed value
        return total.value, half_unit(total)
    return (low + high) / 2, (high - low) / 2


class _RowChecker:
    def __init__(self, table: AnnexTable, rounding: Rounding, *, ocr: bool) -> None:
        self.table, self.rounding, self.ocr = table, rounding, ocr
        self.findings: list[Finding] = []

    def where(self, row: AnnexRow, column: str) -> str:
        return _("{where}, row {number} ({name}), {column}").format(
            where=row.where, number=row.stt, name=row.name, column=column
        )

    def restored(self, row: AnnexRow, column: str, printed: Printed | None) -> None:
        """Warn that a number was read with its lost decimal mark restored."""
        if printed is not None and printed.restored:
            read = vn(printed.value, printed.decimals)
            self.findings.append(Finding(
                "warning", "ocr", self.where(row, column),
                _('"{printed}" read as {read} (decimal mark lost)').format(
                    printed=printed.text, read=read
                ),
            ))  # fmt: skip

    def _total(self, row: AnnexRow, maximum: Decimal) -> tuple[Decimal, Decimal]:
        cells = _cells(row)
        cell_sum = sum((c.value for c in cells), Decimal(0))
        tolerance = sum((half_unit(c) for c in cells), Decimal(0))
        if row.printed_max is not None and row.printed_max.value != maximum:
            self.findings.append(Finding(
                "error", "maximum", self.where(row, "tổng điểm đạt được"),
                _("the printed maximum is not the sum of the applicable maxima"),
                vn(row.printed_max.value), vn(maximum),
            ))  # fmt: skip
        if row.total is None:
            return cell_sum, tolerance
        if abs(row.total.value - cell_sum) > tolerance:
            self.findings.append(Finding(
                "error", "total", self.where(row, "tổng điểm đạt được"),
                _("the total is not the sum of the printed cells"),
                vn(row.total.value), vn(cell_sum),
            ))  # fmt: skip
            return cell_sum, tolerance
        return _total_interval(row.total, cells, cell_sum, tolerance)

    def _converted(self, row: AnnexRow, low: Fraction, high: Fraction, base: Decimal) -> None:
        printed = row.converted
        if printed is None:
            return
        self.restored(row, "tổng điểm quy đổi", printed)
        if _fits(printed.value, low, high, self.rounding):
            return
        mid = (low + high) / 2
        correct = round_score(mid, mode=self.rounding.mode, decimals=self.rounding.decimals)
        text = vn(correct, self.rounding.decimals)
        ocr_loss = self.ocr and text.replace(",", ".").startswith(printed.text.replace(",", "."))
        self.findings.append(Finding(
            "warning" if ocr_loss else "error", "ocr" if ocr_loss else "converted",
            self.where(row, "tổng điểm quy đổi"),
            (_("digits lost in the OCR text; ") if ocr_loss else "")
            + (_("{points}/{maximum} × {scale}, truncated to {decimals} decimals")
               if self.rounding.mode == "truncate"
               else _("{points}/{maximum} × {scale}, rounded half up to {decimals} decimals")
            ).format(points=vn(base), maximum=vn(_maximum(self.table, row)),
                     scale=vn(self.table.scale), decimals=self.rounding.decimals),
            printed.text, text,
        ))  # fmt: skip

    def _class(
        self, row: AnnexRow, low: Fraction, high: Fraction, base: Decimal, spread: Decimal
    ) -> str:
        index_set = self.table.index_set
        if index_set.classification_basis == "total":
            basis = (Fraction(base - spread), Fraction(base + spread))
        else:
            factor = Fraction(100) / Fraction(self.table.scale)
            basis = (low * factor, high * factor)
        grades = _grades(index_set, basis)
        correct = classify(
            (basis[0] + basis[1]) / 2, [BandRule(b.grade, b.min) for b in index_set.bands]
        )
        if row.grade in grades:
            return row.grade
        self.findings.append(Finding(
            "error", "class", self.where(row, "xếp loại"),
            _("the class does not follow from the score") if row.grade else _("unreadable class"),
            row.grade_text or "-", _label(index_set, correct),
        ))  # fmt: skip
        return correct

    def check(self, row: AnnexRow) -> CheckedRow:
        for code, value in row.cells:
            self.restored(row, self.table.labels[code], value)
        maximum = _maximum(self.table, row)
        base, spread = self._total(row, maximum)
        self.restored(row, "tổng điểm đạt được", row.total)
        if not maximum:
            return CheckedRow(row, maximum, base, spread, None)
        low, high = _interval(base, spread, maximum, self.table.scale)
        self._converted(row, low, high, base)
        grade = self._class(row, low, high, base, spread)
        return CheckedRow(row, maximum, base, spread, grade)


def check_rows(
    table: AnnexTable, rounding: Rounding, *, ocr: bool = False
) -> tuple[list[CheckedRow], list[Finding]]:
    """Recompute every row of a score table; the rows with their correct class."""
    checker = _RowChecker(table, rounding, ocr=ocr)
    checked = [checker.check(row) for row in table.rows]
    problems = [Finding("error", "unreadable", w, m) for w, m in table.problems]
    return checked, problems + checker.findings


def full_marks(table: AnnexTable, row: AnnexRow, codes: Sequence[str]) -> bool:
    """Whether every printed, applicable indicator of ``codes`` has its maximum."""
    maxima = {i.code: i.max for i in table.index_set.indicators}
    cells = dict(row.cells)
    return all(cells[c] is None or cells[c].value >= maxima[c] for c in codes if c in cells)  # type: ignore[union-attr]
