"""Received annexes as CSV: reported scores (Biểu 01), fees (Biểu 02), digitisation (Biểu 03).

Each file has a header row and one row per unit; ``unit`` is a unit code or a
name (resolved in the unit tree inside the issuing unit, diacritics and aliases
as in :meth:`~chiso.domain.units.UnitTree.resolve`).

- scores: ``unit`` + one column per indicator code (``tien_do``, ``dvtt_cs1``…);
  "-" or empty is not applicable; "8,72" and "8.72" both mean 8.72; an optional
  ``total`` column is the printed total (used with ``--printed-total``); for the
  NĐ 61 annual report an optional ``staff_average`` column (ĐTB CCVC).
- fees: ``unit, unpaid_n, unpaid_fee, direct_n, direct_fee, online_p, online_n,
  online_fee`` and optionally ``procedures``; amounts may carry thousands dots.
- digitisation: ``unit, received, components, finished, results``.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from chiso.domain.units import Unit, UnitTree
from chiso.engine.reported import ReportedRow
from chiso.errors import UserError
from chiso.i18n import _
from chiso.reports.facts import DigitisationRow, FeeRow
from chiso.spec.canonical import IndexSet

__all__ = ["read_digitisation", "read_fees", "read_scores", "read_staff_average"]

FEE_COLUMNS = ("unpaid_n", "unpaid_fee", "direct_n", "direct_fee", "online_p", "online_n",
               "online_fee")  # fmt: skip
DIGI_COLUMNS = ("received", "components", "finished", "results")


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ("unit", *required) if c not in (reader.fieldnames or [])]
            if missing:
                raise UserError(
                    _("{path}: missing column(s) {names}").format(
                        path=path, names=", ".join(missing)
                    ),
                    hint=_("the columns are described in docs/reports.md"),
                )
            for n, row in enumerate(reader, start=2):
                yield (
                    n,
                    {k: unicodedata.normalize("NFC", (v or "").strip()) for k, v in row.items()},
                )
    except OSError as exc:
        raise UserError(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror)
        ) from None


def _clean(value: str | None) -> str:
    return unicodedata.normalize("NFC", (value or "").strip())


def _unit(tree: UnitTree, text: str, on: date, within: str, where: str) -> Unit:
    if text in tree:
        return tree.get(text)
    try:
        return tree.resolve(text, on=on, within=within)
    except UserError as exc:
        raise UserError(f"{where}: {exc.message}", hint=exc.hint) from None


def _decimal(text: str, where: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise UserError(
            _("{where}: “{text}” is not a number").format(where=where, text=text)
        ) from None


def _count(text: str, where: str) -> int:
    digits = text.replace(".", "").replace(",", "").replace(" ", "")
    if text in ("", "-"):
        return 0
    if not digits.isdigit():
        raise UserError(_("{where}: “{text}” is not a whole number").format(where=where, text=text))
    return int(digits)


def read_scores(
    path: Path, index_set: IndexSet, tree: UnitTree, *, on: date, within: str
) -> list[ReportedRow]:
    """Reported indicator points, one row per unit."""
    codes = [i.code for i in index_set.indicators]
    out = []
    for n, row in _rows(path, ()):
        where = f"{path.name} row {n}"
        unit = _unit(tree, row["unit"], on, within, where)
        cells = {
            code: None if row[code] in ("", "-") else _decimal(row[code], f"{where}, {code}")
            for code in codes
            if code in row
        }
        total = _decimal(row["total"], where) if row.get("total") else None
        out.append(ReportedRow(unit.unit_code, unit.name, unit.kind.value, cells, total))
    return out


def read_fees(path: Path, tree: UnitTree, *, on: date, within: str) -> tuple[FeeRow, ...]:
    """Biểu 02 rows."""
    out = []
    for n, row in _rows(path, FEE_COLUMNS):
        where = f"{path.name} row {n}"
        unit = _unit(tree, row["unit"], on, within, where)
        v = [_count(row[c], f"{where}, {c}") for c in FEE_COLUMNS]
        procedures = _count(row["procedures"], where) if row.get("procedures") else None
        out.append(
            FeeRow(unit.unit_code, unit.name, (v[0], v[1]), (v[2], v[3]), (v[4], v[5], v[6]),
                   procedures)
        )  # fmt: skip
    return tuple(out)


def read_digitisation(
    path: Path, tree: UnitTree, *, on: date, within: str
) -> tuple[DigitisationRow, ...]:
    """Biểu 03 rows."""
    out = []
    for n, row in _rows(path, DIGI_COLUMNS):
        where = f"{path.name} row {n}"
        unit = _unit(tree, row["unit"], on, within, where)
        v = [_count(row[c], f"{where}, {c}") for c in DIGI_COLUMNS]
        out.append(DigitisationRow(unit.unit_code, unit.name, v[0], v[1], v[2], v[3]))
    return tuple(out)


def read_staff_average(path: Path, tree: UnitTree, *, on: date, within: str) -> dict[str, Decimal]:
    """The optional ``staff_average`` column (ĐTB CCVC of the NĐ 61 annex), by unit code."""
    out = {}
    for n, row in _rows(path, ()):
        if row.get("staff_average") not in (None, "", "-"):
            where = f"{path.name} row {n}"
            unit = _unit(tree, row["unit"], on, within, where)
            out[unit.unit_code] = _decimal(row["staff_average"], f"{where}, staff_average")
    return out
