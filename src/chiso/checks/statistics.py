"""Fee (Biểu 02) and digitisation (Biểu 03) annexes: row identities and column totals.

* Fee table: dossiers = unpaid + paid directly + paid online and fee total = the
  three fee columns ("-" is 0) on every row; a totals row must equal the column sums;
  the narrative's "N/M đơn vị tỷ lệ thanh toán trực tuyến chưa đạt … (từ X% trở
  lên)" must count the rows whose online-paid share is below X %, out of M rows.
* Digitisation table: the legend row ("(1)", "(3)=(2)/(1)", "(6)=(7)+(9)") gives
  each column's formula; every row must satisfy it (rates in %, within half a unit
  of the printed digit) and the "TỔNG SỐ" row must hold the column sums.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from chiso.checks.findings import Finding, vn
from chiso.checks.text import Item
from chiso.domain.unit_names import fold_diacritics
from chiso.i18n import _
from chiso.ingest.scores.document import Row, Table
from chiso.ingest.scores.printed import read_number

__all__ = ["check_statistics"]

_FORMULA = re.compile(r"^\((\d+)\)(?:\s*=\s*\((\d+)\)\s*([/+-])\s*\((\d+)\))?$")
_PAYMENT = re.compile(
    r"(\d{1,3})\s*/\s*(\d{1,3})\s+don vi\s+ty le thanh toan truc tuyen chua dat.*?(\d{1,3})\s*%"
)
_FEE_COLUMNS = {
    "unpaid_n": ("chua thanh toan", "so ho so"),
    "unpaid_fee": ("chua thanh toan", "phi"),
    "direct_n": ("truc tiep", "so ho so"),
    "direct_fee": ("truc tiep", "phi"),
    "online_n": ("truc tuyen", "so ho so"),
    "online_fee": ("truc tuyen", "phi"),
    "total_n": ("tong so ho so",),
    "total_fee": ("tong phi",),
}


def _fold(text: str) -> str:
    return fold_diacritics(text).lower()


def _header(table: Table) -> tuple[list[str], list[Row]]:
    """Column labels (group labels filled forward) and the body rows."""
    rows = list(table.rows)
    n = 1
    while n < len(rows) and rows[n].cells and rows[n].cells[0] == "":
        n += 1
    width = max(len(r.cells) for r in rows[:n])
    labels = [""] * width
    for r, row in enumerate(rows[:n]):
        last = ""
        for c in range(width):
            text = row.cells[c] if c < len(row.cells) else ""
            last = text or (last if r < n - 1 else "")
            labels[c] = f"{labels[c]} {last}".strip()
    return labels, rows[n:]


def _number(row: Row, col: int) -> Decimal:
    text = row.cells[col] if col < len(row.cells) else ""
    value = read_number(text)
    return value.value if value is not None else Decimal(0)


def _is_total(row: Row) -> bool:
    return any(_fold(c).startswith("tong") for c in row.cells[:2])


def _where(row: Row, label: str) -> str:
    name = row.cells[1] if len(row.cells) > 1 and row.cells[1] else row.cells[0]
    return f"{row.where}, {name}, {label}"


def _fee_columns(labels: Sequence[str]) -> dict[str, int] | None:
    folded = [_fold(lb) for lb in labels]
    found: dict[str, int] = {}
    for key, needles in _FEE_COLUMNS.items():
        col = next((c for c, t in enumerate(folded) if all(n in t for n in needles)), None)
        if col is not None:
            found[key] = col
    return found if len(found) == len(_FEE_COLUMNS) else None


def _fee_checks(cols: dict[str, int], body: Sequence[Row]) -> list[Finding]:
    out = []
    for row in body:
        if not row.cells[0].isdigit():
            continue
        for total, parts, label in (
            ("total_n", ("unpaid_n", "direct_n", "online_n"), "tổng số hồ sơ"),
            ("total_fee", ("unpaid_fee", "direct_fee", "online_fee"), "tổng phí, lệ phí"),
        ):
            want = sum((_number(row, cols[p]) for p in parts), Decimal(0))
            if _number(row, cols[total]) != want:
                out.append(Finding(
                    "error", "fee", _where(row, label), _("the total is not the sum of its parts"),
                    vn(_number(row, cols[total])), vn(want),
                ))  # fmt: skip
    return out


def _payment(items: Sequence[Item], cols: dict[str, int], body: Sequence[Row]) -> list[Finding]:
    rows = [r for r in body if r.cells[0].isdigit()]
    out = []
    for item in items:
        for m in _PAYMENT.finditer(item.key):
            said, out_of, target = (int(g) for g in m.groups())
            below = [
                r for r in rows
                if _number(r, cols["total_n"])
                and _number(r, cols["online_n"]) * 100 < target * _number(r, cols["total_n"])
            ]  # fmt: skip
            if (said, out_of) != (len(below), len(rows)):
                out.append(Finding(
                    "error", "count", item.where,
                    _("units paying online for less than {target} percent of their fee dossiers "
                      "(fee table: {units} units)").format(target=target, units=len(rows)),
                    f"{said}/{out_of}", f"{len(below)}/{len(rows)}",
                ))  # fmt: skip
    return out


def _formulas(labels: Sequence[str], legend: Row) -> dict[int, tuple[int, str | None, int, int]]:
    out = {}
    for c, text in enumerate(legend.cells):
        m = _FORMULA.match(text.replace(" ", ""))
        if m:
            a, b = (int(m.group(2)), int(m.group(4))) if m.group(2) else (0, 0)
            out[int(m.group(1))] = (c, m.group(3), a, b)
    return out


def _value(op: str, a: Decimal, b: Decimal) -> Decimal | None:
    if op == "/":
        return a / b * 100 if b else None
    return a + b if op == "+" else a - b


def _tolerance(text: str) -> Decimal:
    printed = read_number(text)
    return Decimal(5).scaleb(-(printed.decimals if printed else 0) - 1)


def _formula_checks(
    formulas: dict[int, tuple[int, str | None, int, int]], row: Row, values: dict[int, Decimal]
) -> list[Finding]:
    out = []
    for k, (col, op, a, b) in formulas.items():
        if op is None or a not in values or b not in values:
            continue
        want = _value(op, values[a], values[b])
        text = row.cells[col] if col < len(row.cells) else ""
        if want is None or read_number(text) is None:
            continue
        if abs(_number(row, col) - want) > _tolerance(text):
            shown = vn(want.quantize(Decimal("0.01"))) if op == "/" else vn(want)
            out.append(Finding(
                "error", "digitisation", _where(row, f"({k})"), f"({k}) = ({a}){op}({b})",
                text, shown,
            ))  # fmt: skip
    return out


def _digitisation(body: Sequence[Row], legend: Row) -> list[Finding]:
    formulas = _formulas([], legend)
    out: list[Finding] = []
    sums: dict[int, Decimal] = {k: Decimal(0) for k in formulas}
    for row in body:
        values = {k: _number(row, col) for k, (col, *_others) in formulas.items()}
        if row.cells[0].isdigit():
            out += _formula_checks(formulas, row, values)
            for k, (_col, op, *_operands) in formulas.items():
                sums[k] += values[k] if op != "/" else 0
        elif _is_total(row):
            for k, (col, op, a, b) in formulas.items():
                want = sums[k] if op != "/" else _value(op, sums[a], sums[b])
                if op == "/" and want is not None:
                    if abs(_number(row, col) - want) > _tolerance(row.cells[col]):
                        out.append(
                            Finding(
                                "error",
                                "digitisation",
                                _where(row, f"({k})"),
                                _("({number}) of the column sums").format(number=k),
                                row.cells[col],
                                vn(want.quantize(Decimal("0.01"))),
                            )
                        )
                elif want is not None and _number(row, col) != want:
                    out.append(
                        Finding(
                            "error",
                            "digitisation",
                            _where(row, f"({k})"),
                            _("not the sum of the unit rows"),
                            row.cells[col],
                            vn(want),
                        )
                    )
    return out


def check_statistics(tables: Sequence[Table], items: Sequence[Item]) -> list[Finding]:
    """Findings on every fee and digitisation table of the report."""
    out: list[Finding] = []
    for table in tables:
        labels, body = _header(table)
        header = list(table.rows[: len(table.rows) - len(body)])
        fee = _fee_columns(labels)
        if fee is not None:
            out += _fee_checks(fee, body) + _payment(items, fee, body)
            continue
        legend = next(
            (r for r in header if any(_FORMULA.match(c.replace(" ", "")) for c in r.cells)), None
        )
        if legend is not None:
            out += _digitisation(body, legend)
    return out
