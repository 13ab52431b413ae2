"""Convert a block of export rows into canonical columns, collecting every problem.

The work is columnar: a block of up to :data:`BLOCK_ROWS` rows becomes one text
array per column, parsed by the vectorised parsers of ``values``; only the cells
that fail become :class:`~chiso.ingest.issues.RowIssue` objects.  Rows with any
problem are left out of the returned table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chiso.domain.records import ColumnType
from chiso.ingest.issues import RowIssue
from chiso.ingest.layout import Layout
from chiso.ingest.profiles import HELPER_FIELDS
from chiso.ingest.resolve import Lookup, ProcedureLookup, UnitLookup
from chiso.ingest.tables import IMPORT_TABLES as TABLES
from chiso.ingest.tables import import_required
from chiso.ingest.values import parse_choice, parse_numbers, parse_timestamps
from chiso.synth.schemas import ARROW_TYPES

__all__ = ["ARROW_TYPES", "BLOCK_ROWS", "Block", "Converter"]

BLOCK_ROWS = 50_000
#: Text columns whose values come from a fixed list (value map kind per column).
CHOICES = {
    ("dossiers", "channel"): "channel",
    ("dossiers", "payment"): "payment",
    ("dossiers", "status"): "status",
    ("procedures", "online_level"): "online_level",
    ("procedures", "level"): None,
    ("units", "kind"): "kind",
}
_DATE_HINT = "write the date as dd/mm/yyyy or dd/mm/yyyy hh:mm"
#: (later column, earlier column): a row where later < earlier is impossible.
ORDER_CHECKS = {
    "dossiers": (
        ("due_at", "received_at", "due date before the received date"),
        ("finished_at", "received_at", "finished before it was received"),
        ("returned_at", "received_at", "result returned before the dossier was received"),
    ),
    "petitions": (
        ("due_at", "received_at", "due date before the received date"),
        ("handled_at", "received_at", "handled before it was received"),
    ),
}


@dataclass
class Block:
    """Rows of one file as text columns, with their row numbers."""

    file: str
    rows: list[int]
    columns: dict[str, list[str | None]]


@dataclass
class Converter:
    """Converts blocks of one table with one profile's value labels."""

    table: str
    layout: Layout
    units: UnitLookup
    procedures: ProcedureLookup
    on: date | None = None  # the day units are resolved on when rows carry no date

    def block(self, file: str, records: Sequence[tuple[int, list[str | None]]]) -> Block:
        """Cut rows into text columns by the layout's column map (transposed in C)."""
        rows = [cells for _, cells in records]
        width = max(self.layout.match.columns) + 1
        if min(map(len, rows)) < width:
            rows = [r if len(r) >= width else [*r, *([None] * (width - len(r)))] for r in rows]
        transposed = list(zip(*rows, strict=False))
        columns = {name: list(transposed[i]) for i, name in self.layout.match.columns.items()}
        return Block(file, [n for n, _ in records], columns)

    def convert(self, block: Block) -> tuple[pa.Table, list[RowIssue]]:
        """Canonical table of the valid rows (plus ``_file``/``_row``) and the issues."""
        n = len(block.rows)
        bad = np.zeros(n, dtype=bool)
        issues: list[RowIssue] = []
        self._flagged: dict[str, np.ndarray] = {}

        def report(mask: np.ndarray, column: str, reason: str, hint: str) -> None:
            cells = block.columns.get(column)
            for i in np.flatnonzero(mask):
                value = (cells[i] if cells is not None else None) or ""
                issues.append(RowIssue(block.file, block.rows[i], column, value, reason, hint))
            bad[mask] = True
            flagged = self._flagged.setdefault(column, np.zeros(n, dtype=bool))
            flagged |= mask

        out = {c: self._column(block, c, t, report) for c, t in TABLES[self.table].items()}
        self._resolve_helpers(block, out, report)
        self._check_rows(out, report)
        out["_file"] = pa.array([block.file] * n, pa.string())
        out["_row"] = pa.array(block.rows, pa.int64())
        table = pa.table(out).filter(pa.array(~bad))
        return table, issues

    def _column(self, block: Block, column: str, ctype: ColumnType, report: Report) -> pa.Array:
        arrow_type = ARROW_TYPES[ctype]
        if column not in block.columns:
            return pa.nulls(len(block.rows), arrow_type)
        text = clean_text(pa.array(block.columns[column], pa.string()))
        values, bad, hint = self._parse(column, ctype, text)
        if bad.any():
            report(bad, column, f"not a valid {ctype.value}", hint)
        if ctype is ColumnType.DATE:
            values = pc.cast(values, pa.date32())
        return values

    def _parse(
        self, column: str, ctype: ColumnType, text: pa.Array
    ) -> tuple[pa.Array, np.ndarray, str]:
        profile = self.layout.profile
        if ctype in (ColumnType.TIMESTAMP, ColumnType.DATE):
            return (*parse_timestamps(text), _DATE_HINT)
        if ctype in (ColumnType.NUMBER, ColumnType.INTEGER):
            values, bad = parse_numbers(text)
            if ctype is ColumnType.INTEGER:
                floats = values.to_numpy(zero_copy_only=False)
                too_big = np.abs(np.nan_to_num(floats)) >= 2.0**63  # not an int64
                fractional = ~np.isnan(floats) & ((np.floor(floats) != floats) | too_big)
                bad |= fractional
                values = pc.cast(pc.if_else(pa.array(fractional), None, values), pa.int64())
            return values, bad, "write a number such as 1.229.100 or 98,32"
        if ctype is ColumnType.BOOLEAN:
            values, bad = parse_choice(text, profile.value_map("boolean"), arrow_type=pa.bool_())
            # a blank tick box in an export means "no", not "unknown"
            return pc.fill_null(values, False), bad, "write Có or Không (x also means Có)"
        kind = CHOICES.get((self.table, column))
        if kind is not None:
            values, bad = parse_choice(text, profile.value_map(kind))
            labels = ", ".join(sorted({str(v) for v in profile.value_map(kind).values()}))
            return values, bad, f"use one of {labels} (or a label listed in the profile)"
        return text, np.zeros(len(text), dtype=bool), ""

    def _resolve_helpers(self, block: Block, out: dict[str, pa.Array], report: Report) -> None:
        day = _days(out.get("received_at"), len(block.rows))
        if self.on is not None:
            day = [d or self.on for d in day]
        if "unit_code" in out and self.table not in ("units", "ratings"):
            units = self.units
            self._resolve(
                block, out, report, "unit_code", "check the unit name or code",
                by_name=lambda name, i: units.by_name(name, day[i]),
                check=lambda code, i: units.check_code(code, day[i]),
            )  # fmt: skip
        if "procedure_code" in out and self.table == "dossiers":
            procedures = self.procedures
            self._resolve(
                block, out, report, "procedure_code",
                "use a procedure of the procedures table (import procedures first)",
                by_name=lambda name, _: procedures.by_name(name),
                check=lambda code, _: procedures.check_code(code),
            )  # fmt: skip

    def _resolve(
        self,
        block: Block,
        out: dict[str, pa.Array],
        report: Report,
        column: str,
        hint: str,
        *,
        by_name: Callable[[str, int], Lookup],
        check: Callable[[str, int], str | None],
    ) -> None:
        """Fill ``column`` from its helper name column and check every code it holds."""
        helper = next(h for h, c in HELPER_FIELDS.items() if c == column)
        codes = out[column].to_pylist()
        names = block.columns.get(helper)
        problems: dict[tuple[str, str], list[int]] = {}
        for i, code in enumerate(codes):
            if code is None and names is not None and names[i]:
                codes[i], problem = by_name(names[i] or "", i)
                where = helper
            elif code is None:
                continue
            else:
                problem, where = check(code, i), column
            if problem:
                problems.setdefault((where, problem), []).append(i)
        for (where, problem), rows in problems.items():
            report(_mask(len(codes), rows), where, problem, hint)
        out[column] = pa.array(codes, pa.string())

    def _check_rows(self, out: dict[str, pa.Array], report: Report) -> None:
        for column in import_required(self.table):
            missing = np.asarray(out[column].is_null().to_numpy(zero_copy_only=False))
            helper = next((h for h, c in HELPER_FIELDS.items() if c == column), None)
            for flagged in (column, helper):
                if flagged in self._flagged:
                    missing &= ~self._flagged[flagged]
            if missing.any():
                shown = column if helper is None else f"{column} (or {helper})"
                report(missing, column, "missing value", f"every row needs {shown}")
        for later, earlier, reason in ORDER_CHECKS.get(self.table, ()):
            wrong = pc.fill_null(pc.less(out[later], out[earlier]), False)
            mask = np.asarray(wrong.to_numpy(zero_copy_only=False), dtype=bool)
            if mask.any():
                report(mask, later, reason, f"check {later} and {earlier} of this row")
        numeric = (ColumnType.INTEGER, ColumnType.NUMBER)
        for column, ctype in TABLES[self.table].items():
            if ctype in numeric:
                negative = pc.fill_null(pc.less(out[column], 0), False)
                mask = np.asarray(negative.to_numpy(zero_copy_only=False), dtype=bool)
                if mask.any():
                    report(mask, column, "negative value", "counts and amounts are ≥ 0")


Report = Callable[[np.ndarray, str, str, str], None]


def clean_text(text: pa.Array) -> pa.Array:
    """NFC, trimmed, blank → null, for a whole column at once (cells arrive raw)."""
    text = pc.utf8_normalize(pc.utf8_trim_whitespace(text), form="NFC")
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _mask(n: int, rows: list[int]) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _days(stamps: pa.Array | None, n: int) -> list[date | None]:
    if stamps is None:
        return [None] * n
    return [d.date() if d is not None else None for d in stamps.to_pylist()]
