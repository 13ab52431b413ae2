"""Biểu 02 (fees and payments) and Biểu 03 (digitisation) as annex tables.

Totals are the sums of the unit rows and the total rates are computed from those
sums (seed 002's Biểu 03 total row contradicts its own rows, E15; ours cannot).
Rates are percentages with two decimals, printed with a decimal comma and no
"%" sign on every row (E16).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from chiso.domain.rounding import to_decimal
from chiso.reports.annex import Annex, Cell, HeaderCell, Row, number, text
from chiso.reports.facts import DigitisationRow, FeeRow

__all__ = ["digitisation_annex", "fee_annex", "percent"]


def percent(rate: Fraction | None) -> Cell:
    """A rate as a percentage with two decimals (98,28); None → "-"."""
    return number(None if rate is None else to_decimal(rate * 100), 2)


FEE_KEYS = (
    "stt", "name", "unpaid_n", "unpaid_fee", "direct_n", "direct_fee",
    "online_p", "online_n", "online_fee", "procedures", "dossiers", "amount", "online_rate",
)  # fmt: skip
FEE_HEADER = (
    HeaderCell(0, 0, "STT", rowspan=3),
    HeaderCell(0, 1, "Tên cơ quan, đơn vị", rowspan=3),
    HeaderCell(0, 2, "Chưa thanh toán", colspan=2),
    HeaderCell(0, 4, "Đã thanh toán", colspan=5),
    HeaderCell(0, 9, "Tổng", colspan=3),
    HeaderCell(0, 12, "Tỷ lệ hồ sơ thanh toán trực tuyến (%)", rowspan=3),
    HeaderCell(1, 2, "Số hồ sơ", rowspan=2),
    HeaderCell(1, 3, "Phí, lệ phí", rowspan=2),
    HeaderCell(1, 4, "Trực tiếp", colspan=2),
    HeaderCell(1, 6, "Trực tuyến", colspan=3),
    HeaderCell(1, 9, "Tổng số TTHC", rowspan=2),
    HeaderCell(1, 10, "Tổng số hồ sơ", rowspan=2),
    HeaderCell(1, 11, "Tổng phí, lệ phí", rowspan=2),
    HeaderCell(2, 4, "Số hồ sơ"),
    HeaderCell(2, 5, "Phí, lệ phí"),
    HeaderCell(2, 6, "Số TTHC"),
    HeaderCell(2, 7, "Số hồ sơ"),
    HeaderCell(2, 8, "Phí, lệ phí"),
)


def _fee_cells(row: FeeRow) -> list[Cell]:
    def fee(amount: int) -> Cell:
        return number(amount, 0, dash_zero=True)

    return [
        number(row.unpaid[0], 0),
        fee(row.unpaid[1]),
        number(row.direct[0], 0),
        fee(row.direct[1]),
        number(row.online[0], 0),
        number(row.online[1], 0),
        fee(row.online[2]),
        number(row.procedures, 0),
        number(row.dossiers, 0),
        fee(row.amount),
        percent(row.online_rate),
    ]


def fee_annex(rows: Sequence[FeeRow], *, title: str) -> Annex:
    """Biểu 02: fee-bearing dossiers unpaid, paid directly and online, per unit, with totals."""
    body = [
        Row("unit", (number(n, 0), text(r.name, align="left"), *_fee_cells(r)), r.unit_code)
        for n, r in enumerate(rows, start=1)
    ]
    known = [r.procedures for r in rows if r.procedures is not None]
    total = FeeRow(
        "",
        "TỔNG SỐ",
        unpaid=(sum(r.unpaid[0] for r in rows), sum(r.unpaid[1] for r in rows)),
        direct=(sum(r.direct[0] for r in rows), sum(r.direct[1] for r in rows)),
        online=tuple(sum(r.online[k] for r in rows) for k in range(3)),  # type: ignore[arg-type]
        procedures=sum(known) if len(known) == len(rows) else None,
    )
    body.append(Row("total", (text(""), text("TỔNG SỐ"), *_fee_cells(total))))
    widths = (10.0, 52.0, *(16.0 for _ in FEE_KEYS[2:]))
    return Annex("bieu_02", "Biểu số 02", title, FEE_KEYS, widths, FEE_HEADER, 3, tuple(body))


DIGI_KEYS = (
    "stt", "name", "received", "components", "components_rate", "components_missing",
    "finished", "results", "results_rate", "results_missing",
)  # fmt: skip
DIGI_HEADER = (
    HeaderCell(0, 0, "STT", rowspan=2),
    HeaderCell(0, 1, "Đơn vị (cơ quan)", rowspan=2),
    HeaderCell(0, 2, "Số hóa hồ sơ TTHC khi tiếp nhận", colspan=4),
    HeaderCell(0, 6, "Số hóa kết quả giải quyết TTHC", colspan=4),
    HeaderCell(1, 2, "Số hồ sơ tiếp nhận"),
    HeaderCell(1, 3, "Số hồ sơ có số hóa thành phần hồ sơ"),
    HeaderCell(1, 4, "Tỷ lệ số hóa thành phần hồ sơ khi tiếp nhận (%)"),
    HeaderCell(1, 5, "Số hồ sơ chưa số hóa thành phần hồ sơ"),
    HeaderCell(1, 6, "Số hồ sơ đã giải quyết"),
    HeaderCell(1, 7, "Số hồ sơ có số hóa kết quả"),
    HeaderCell(1, 8, "Tỷ lệ số hóa kết quả (%)"),
    HeaderCell(1, 9, "Số hồ sơ chưa số hóa kết quả"),
)
#: The column-formula legend row under the header (seed 002's "(3)=(2)/(1)").
DIGI_LEGEND = ("", "", "(1)", "(2)", "(3)=(2)/(1)", "(4)=(1)-(2)", "(5)", "(6)",
               "(7)=(6)/(5)", "(8)=(5)-(6)")  # fmt: skip


def _digi_cells(row: DigitisationRow) -> list[Cell]:
    return [
        number(row.received, 0),
        number(row.components, 0),
        percent(row.components_rate),
        number(row.received - row.components, 0),
        number(row.finished, 0),
        number(row.results, 0),
        percent(row.results_rate),
        number(row.finished - row.results, 0),
    ]


def digitisation_annex(rows: Sequence[DigitisationRow], *, title: str, period_note: str) -> Annex:
    """Biểu 03: digitisation at intake and of results, with the legend and total rows."""
    legend = Row("legend", tuple(text(t) for t in DIGI_LEGEND))
    body = [legend] + [
        Row("unit", (number(n, 0), text(r.name, align="left"), *_digi_cells(r)), r.unit_code)
        for n, r in enumerate(rows, start=1)
    ]
    total = DigitisationRow(
        "",
        "TỔNG SỐ",
        received=sum(r.received for r in rows),
        components=sum(r.components for r in rows),
        finished=sum(r.finished for r in rows),
        results=sum(r.results for r in rows),
    )
    body.append(Row("total", (text(""), text("TỔNG SỐ"), *_digi_cells(total))))
    widths = (10.0, 52.0, *(20.0 for _ in DIGI_KEYS[2:]))
    return Annex(
        "bieu_03",
        "Biểu số 03",
        title,
        DIGI_KEYS,
        widths,
        DIGI_HEADER,
        2,
        tuple(body),
        period_note=period_note,
    )
