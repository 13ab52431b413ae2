"""Convert a block of export rows into canonical columns, collecting every problem.

The work is columnar: a block of up to :data:`BLOCK_ROWS` rows becomes one text
array per column, parsed by the vectorised parsers of ``values``; only the cells
that fail become :class:`~chiso.ingest.issues.RowIssue` objects.  Rows with any
problem are left out of the returned table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chiso.domain.dossier_codes import AGENCY_PATTERN
from chiso.domain.labels import column_label
from chiso.domain.records import ColumnType
from chiso.ingest.issues import RowIssue
from chiso.ingest.layout import Layout
from chiso.ingest.pieces import Piece
from chiso.ingest.profiles import HELPER_FIELDS
from chiso.ingest.resolve import Lookup, ProcedureLookup, UnitLookup
from chiso.ingest.tables import IMPORT_TABLES as TABLES
from chiso.ingest.tables import import_key, import_required
from chiso.ingest.values import parse_choice, parse_numbers, parse_timestamps
from chiso.synth.schemas import ARROW_TYPES

__all__ = ["ARROW_TYPES", "BLOCK_ROWS", "Block", "Converter"]

BLOCK_ROWS = 50_000
#: A column is parsed once per distinct value when its values repeat this often on average.
_DISTINCT_RATIO = 4
#: Text columns whose values come from a fixed list (value map kind per column).
CHOICES = {
    ("dossiers", "channel"): "channel",
    ("dossiers", "payment"): "payment",
    ("dossiers", "status"): "status",
    ("procedures", "online_level"): "online_level",
    ("procedures", "level"): None,
    ("units", "kind"): "kind",
}
_DATE_HINT = "ghi ngày dạng dd/mm/yyyy hoặc dd/mm/yyyy hh:mm"
#: (later column, earlier column): a row where later < earlier is impossible.
_NOT_VALID = {
    ColumnType.STRING: "không phải giá trị hợp lệ",
    ColumnType.INTEGER: "không phải số nguyên hợp lệ",
    ColumnType.NUMBER: "không phải số hợp lệ",
    ColumnType.BOOLEAN: "không phải Có/Không hợp lệ",
    ColumnType.TIMESTAMP: "không phải ngày giờ hợp lệ",
    ColumnType.DATE: "không phải ngày hợp lệ",
}
ORDER_CHECKS = {
    "dossiers": (
        ("due_at", "received_at", "ngày hẹn trả trước ngày tiếp nhận"),
        ("finished_at", "received_at", "kết thúc xử lý trước ngày tiếp nhận"),
        ("returned_at", "received_at", "trả kết quả trước ngày tiếp nhận hồ sơ"),
    ),
    "petitions": (
        ("due_at", "received_at", "ngày hẹn trả trước ngày tiếp nhận"),
        ("handled_at", "received_at", "xử lý xong trước ngày tiếp nhận"),
    ),
}


@dataclass
class Block:
    """Rows of one file as text columns (raw cells), with their row numbers."""

    file: str
    rows: np.ndarray  # int64
    columns: dict[str, pa.Array]


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
        columns = {
            name: pa.array(transposed[i], pa.string())
            for i, name in self.layout.match.columns.items()
        }
        return Block(file, np.array([n for n, _ in records], np.int64), columns)

    def piece_block(self, file: str, piece: Piece) -> Block:
        """The layout's columns of a piece of text columns."""
        columns = {name: piece.column(i) for i, name in self.layout.match.columns.items()}
        return Block(file, piece.rows, columns)

    @property
    def _key(self) -> str:
        return import_key(self.table)

    def header(self, column: str) -> str:
        """``column`` as the file names it ("NGÀY TIẾP NHẬN"): its header, else the header of
        the name column it is resolved from ("Đơn vị tiếp nhận"), else its Vietnamese label."""
        found = {name: i for i, name in self.layout.match.columns.items()}
        helper = next((h for h, c in HELPER_FIELDS.items() if c == column), None)
        for name in (column, helper):
            if name in found and found[name] < len(self.layout.headers):
                cell = self.layout.headers[found[name]]
                text = cell[0] if isinstance(cell, tuple) else cell
                if text:
                    return " ".join(str(text).split())
        return column_label(column)

    def convert(self, block: Block) -> tuple[pa.Table, list[RowIssue]]:
        """Canonical table of the valid rows (plus ``_file``/``_row``) and the issues."""
        n = len(block.rows)
        bad = np.zeros(n, dtype=bool)
        issues: list[RowIssue] = []
        flagged: dict[str, np.ndarray] = {}  # per call: blocks may be converted in threads

        def report(mask: np.ndarray, column: str, reason: str, hint: str) -> None:
            header = self.header(column)
            cells = block.columns.get(column)
            where = np.flatnonzero(mask)
            values = cells.take(pa.array(where)).to_pylist() if cells is not None else []
            for i, value in itertools.zip_longest(where.tolist(), values):
                row = int(block.rows[i])
                issues.append(RowIssue(block.file, row, column, value or "", reason, hint, header))
            bad[mask] = True
            flags = flagged.setdefault(column, np.zeros(n, dtype=bool))
            flags |= mask

        out = {c: self._column(block, c, t, report) for c, t in TABLES[self.table].items()}
        self._resolve_helpers(block, out, report)
        self._check_rows(out, report, flagged)
        out["_file"] = pa.repeat(pa.scalar(block.file, pa.string()), n)
        out["_row"] = pa.array(block.rows, pa.int64())
        table = pa.table(out).filter(pa.array(~bad))
        return table, issues

    def _column(self, block: Block, column: str, ctype: ColumnType, report: Report) -> pa.Array:
        arrow_type = ARROW_TYPES[ctype]
        if column not in block.columns:
            return pa.nulls(len(block.rows), arrow_type)
        raw = block.columns[column]
        encoded = None
        if ctype not in (ColumnType.TIMESTAMP, ColumnType.DATE) and column != self._key:
            encoded = pc.dictionary_encode(raw, null_encoding="encode")
            if len(encoded.dictionary) * _DISTINCT_RATIO > len(raw):
                encoded = None  # mostly distinct values: parsed as they come
        if encoded is None:
            values, bad, hint = self._parse(column, ctype, clean_text(raw))
        else:  # every parser works cell by cell: parse each distinct raw value once
            values, bad, hint = self._parse(column, ctype, clean_text(encoded.dictionary))
            indices = encoded.indices
            values = values.take(indices)
            bad = bad[np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)]
        if bad.any():
            report(bad, column, _NOT_VALID[ctype], hint)
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
            return values, bad, "ghi số, ví dụ 1.229.100 hoặc 98,32"
        if ctype is ColumnType.BOOLEAN:
            values, bad = parse_choice(text, profile.value_map("boolean"), arrow_type=pa.bool_())
            # a blank tick box in an export means "no", not "unknown"
            return pc.fill_null(values, False), bad, "ghi Có hoặc Không (x cũng là Có)"
        kind = CHOICES.get((self.table, column))
        if kind is not None:
            values, bad = parse_choice(text, profile.value_map(kind))
            labels = ", ".join(sorted({str(v) for v in profile.value_map(kind).values()}))
            hint = f"ghi một trong các giá trị {labels} (hoặc nhãn khai báo trong hồ sơ định dạng)"
            return values, bad, hint
        return text, np.zeros(len(text), dtype=bool), ""

    def _resolve_helpers(self, block: Block, out: dict[str, pa.Array], report: Report) -> None:
        days = _day_numbers(out.get("received_at"), len(block.rows), self.on)
        if "unit_code" in out and self.table not in ("units", "ratings"):
            units = self.units
            self._resolve(
                block, out, report, "unit_code", "kiểm tra lại tên hoặc mã đơn vị",
                units.epochs(days),
                by_name=lambda name, i: units.by_name(name, _day(days[i])),
                check=lambda code, i: (code, units.check_code(code, _day(days[i]))),
            )  # fmt: skip
        if self.table == "dossiers":
            self._resolve_receiving(block, out, report, days)
        if "procedure_code" in out and self.table == "dossiers":
            procedures = self.procedures
            self._resolve(
                block, out, report, "procedure_code",
                "dùng thủ tục có trong danh mục thủ tục (nhập danh mục thủ tục trước)",
                np.zeros(len(block.rows), np.int64),
                by_name=lambda name, _: procedures.by_name(name),
                check=lambda code, _: (code, procedures.check_code(code)),
            )  # fmt: skip

    def _resolve_receiving(
        self, block: Block, out: dict[str, pa.Array], report: Report, days: np.ndarray
    ) -> None:
        """The receiving point: a unit's name or code from the file, checked like units;
        where the file gives none, the dossier code's receiving agency if that is a known
        unit on the dossier's day (its code, GSO code or an alias), else nothing."""
        units, n = self.units, len(block.rows)
        epochs = units.epochs(days)
        named = out["receiving_point"]
        has = np.asarray(named.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        problems: dict[tuple[str, str], list[np.ndarray]] = {}
        found = _look_up(
            named, has, epochs, lambda name, i: units.by_name(name, _day(days[i])),
            problems, "receiving_point",
        )  # fmt: skip
        codes = found if found is not None else pa.nulls(n, pa.string())
        if not has.all():
            agencies = receiving_agencies(out["dossier_code"])
            known = np.asarray(agencies.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
            derived = _look_up(
                agencies, ~has & known, epochs,
                lambda agency, i: (units.by_name(agency, _day(days[i]))[0], None),
                problems, "receiving_point",
            )  # fmt: skip
            if derived is not None:
                codes = pc.coalesce(codes, derived)
        header = self._header_of("receiving_point")
        hint = f"cột “{header}”: ghi tên hoặc mã một đơn vị có trong bảng đơn vị"
        for (where, problem), rows in problems.items():
            report(_mask(n, np.concatenate(rows)), where, problem, hint)
        out["receiving_point"] = codes

    def _header_of(self, column: str) -> str:
        """The file's header of ``column`` (its canonical name when the file lacks it)."""
        headers = self.layout.headers
        for index, name in self.layout.match.columns.items():
            if name == column and index < len(headers):
                cell = headers[index]
                return (cell if isinstance(cell, str) else cell[0]).strip()
        return column

    def _resolve(
        self,
        block: Block,
        out: dict[str, pa.Array],
        report: Report,
        column: str,
        hint: str,
        epochs: np.ndarray,
        *,
        by_name: Callable[[str, int], Lookup],
        check: Callable[[str, int], Lookup],
    ) -> None:
        """Fill ``column`` from its helper name column and check every code it holds.

        Each distinct value is looked up once per epoch (rows whose answer cannot differ:
        the units valid on their day are the same); a value with a problem is looked up
        again for each of its rows, whose problem may name the row's day.
        """
        helper = next(h for h, c in HELPER_FIELDS.items() if c == column)
        codes = out[column]
        has_code = np.asarray(codes.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        problems: dict[tuple[str, str], list[np.ndarray]] = {}
        checked = _look_up(codes, has_code, epochs, check, problems, column)
        del checked  # a code is kept as written, even with a problem
        names = block.columns.get(helper)
        if names is not None:
            filled = pc.fill_null(pc.greater(pc.binary_length(names), 0), False)
            named = ~has_code & np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)
            found = _look_up(names, named, epochs, by_name, problems, helper)
            if found is not None:
                codes = pc.coalesce(codes, found)
        first = {key: min(int(r[0]) for r in rows) for key, rows in problems.items()}
        for (where, problem), rows in sorted(problems.items(), key=lambda kv: first[kv[0]]):
            report(_mask(len(block.rows), np.concatenate(rows)), where, problem, hint)
        out[column] = codes

    def _check_rows(
        self, out: dict[str, pa.Array], report: Report, flagged: dict[str, np.ndarray]
    ) -> None:
        for column in import_required(self.table):
            missing = np.asarray(out[column].is_null().to_numpy(zero_copy_only=False))
            helper = next((h for h, c in HELPER_FIELDS.items() if c == column), None)
            for name in (column, helper):
                if name in flagged:
                    missing &= ~flagged[name]
            if missing.any():
                shown = f"“{self.header(column)}”"
                if helper is not None and self.header(helper) != self.header(column):
                    shown += f" (hoặc “{self.header(helper)}”)"
                report(missing, column, "thiếu giá trị", f"mọi dòng đều cần cột {shown}")
        for later, earlier, reason in ORDER_CHECKS.get(self.table, ()):
            wrong = pc.fill_null(pc.less(out[later], out[earlier]), False)
            mask = np.asarray(wrong.to_numpy(zero_copy_only=False), dtype=bool)
            if mask.any():
                both = f"“{self.header(later)}” và “{self.header(earlier)}”"
                report(mask, later, reason, f"kiểm tra {both} của dòng này")
        numeric = (ColumnType.INTEGER, ColumnType.NUMBER)
        for column, ctype in TABLES[self.table].items():
            if ctype in numeric:
                negative = pc.fill_null(pc.less(out[column], 0), False)
                mask = np.asarray(negative.to_numpy(zero_copy_only=False), dtype=bool)
                if mask.any():
                    report(mask, column, "giá trị âm", "số lượng và số tiền phải ≥ 0")


Report = Callable[[np.ndarray, str, str, str], None]


def clean_text(text: pa.Array) -> pa.Array:
    """NFC, trimmed, blank → null, for a whole column at once (cells arrive raw).

    Plain ASCII needs no normalising; other text is normalised once per distinct value.
    """
    text = pc.utf8_trim_whitespace(text)
    if not pc.all(pc.string_is_ascii(text)).as_py():
        encoded = pc.dictionary_encode(text)
        text = pc.take(pc.utf8_normalize(encoded.dictionary, form="NFC"), encoded.indices)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def receiving_agencies(codes: pa.Array) -> pa.Array:
    """The receiving agency each dossier code names (null where a code follows neither
    rule of :mod:`chiso.domain.dossier_codes`), for a whole column at once.

    Examples:
        >>> receiving_agencies(pa.array(["000.00.30.H18-260101-0001", "X-1", None])).to_pylist()
        ['000.00.30.H18', None, None]
    """
    parts = pc.extract_regex(codes, AGENCY_PATTERN)
    provincial = pc.struct_field(parts, "provincial")  # "" where the other shape matched
    return pc.if_else(pc.equal(provincial, ""), pc.struct_field(parts, "central"), provincial)


def _mask(n: int, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _look_up(
    values: pa.Array,
    mask: np.ndarray,
    epochs: np.ndarray,
    look: Callable[[str, int], Lookup],
    problems: dict[tuple[str, str], list[np.ndarray]],
    where: str,
) -> pa.Array | None:
    """Look the values of the ``mask`` rows up once per (value, epoch); the codes found
    (null elsewhere) and, in ``problems``, the rows of each (column, problem)."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return None
    picked = values if len(rows) == len(values) else values.take(pa.array(rows))
    encoded = pc.dictionary_encode(picked)
    labels = encoded.dictionary.to_pylist()
    label_of = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    span = int(epochs.max()) + 2 if len(epochs) else 1
    first, group = _groups(label_of * span + (epochs[rows] + 1))
    found: list[str | None] = []
    again: list[int] = []
    for g, i in enumerate(first.tolist()):
        code, problem = look(labels[label_of[i]], int(rows[i]))
        found.append(code)
        if problem:
            again.append(g)
    resolved = pa.array(found, pa.string()).take(pa.array(group))
    if again:
        codes = np.array(resolved.to_pylist(), dtype=object)
        redo = np.flatnonzero(np.isin(group, again))
        for i in redo.tolist():
            codes[i], problem = look(labels[label_of[i]], int(rows[i]))
            if problem:
                problems.setdefault((where, problem), []).append(rows[i : i + 1])
        resolved = pa.array(codes, pa.string())
    if len(rows) == len(mask):
        return resolved
    placed = np.full(len(mask), -1, dtype=np.int64)
    placed[rows] = np.arange(len(rows))
    return resolved.take(pa.array(placed, mask=placed < 0))


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For non-negative ``keys``: where each distinct key first occurs (in key order), and
    the group (distinct key's rank) of every key; as ``np.unique(keys, return_index=True,
    return_inverse=True)`` gives them, without sorting when the keys are few and small."""
    n = len(keys)
    space = int(keys.max()) + 1 if n else 0
    if space > 4 * n + (1 << 16):
        _, first, group = np.unique(keys, return_index=True, return_inverse=True)
        return first, group.reshape(-1)
    present = np.zeros(space, dtype=bool)
    present[keys] = True
    distinct = np.flatnonzero(present)
    rank = np.zeros(space, dtype=np.int64)
    rank[distinct] = np.arange(len(distinct))
    group = rank[keys]
    first = np.full(len(distinct), n, dtype=np.int64)
    np.minimum.at(first, group, np.arange(n))
    return first, group


_NO_DAY = np.iinfo(np.int64).min
_EPOCH = date(1970, 1, 1)


def _day_numbers(stamps: pa.Array | None, n: int, on: date | None) -> np.ndarray:
    """The day of each row (days since 1970; ``on`` where the row has none, else _NO_DAY)."""
    days = np.full(n, _NO_DAY, dtype=np.int64)
    if stamps is not None:
        numbers = pc.cast(pc.cast(pc.cast(stamps, pa.date32()), pa.int32()), pa.int64())
        days = np.asarray(numbers.fill_null(_NO_DAY).to_numpy(zero_copy_only=False))
    if on is not None:
        days = np.where(days == _NO_DAY, (on - _EPOCH).days, days)
    return days


def _day(number: np.int64) -> date | None:
    return None if number == _NO_DAY else _EPOCH + timedelta(days=int(number))
