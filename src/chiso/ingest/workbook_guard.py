"""Bound a workbook before python-calamine reads it whole.

calamine builds each sheet as one rectangle from its first to its last cell with a value,
so a file of a few kilobytes with one value at ``A1`` and one at ``XFD1048576`` asks for
17 billion cells and aborts the process (Rust cannot report an allocation failure as a
Python error).  :func:`check_workbook` finds that rectangle first, from the file itself —
the sheets' cells (.xlsx), ``content.xml`` with its repeated rows and cells (.ods), the
cell records of the workbook stream (.xls) — and refuses a workbook whose rectangles
together pass :data:`~chiso.ingest.limits.MAX_GRID_CELLS`, with the zip limits of
:func:`~chiso.ingest.limits.check_zip` for .xlsx and .ods.  Declared dimensions are not
trusted; calamine does not trust them either.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.file_kind import not_a_workbook
from chiso.ingest.limits import MAX_GRID_CELLS, MAX_MEMBER_BYTES, check_zip, count, refusal
from chiso.ingest.xlsx_stream import BROKEN, sheet_parts

__all__ = ["check_workbook"]

_BLOCK = 1 << 20
_HUGE = 10**9  # a repeat count or row number too long to convert: surely over the limit


class _Box:
    """The rectangle of cells with a value in one sheet."""

    def __init__(self) -> None:
        self.rows: tuple[int, int] | None = None
        self.columns: tuple[int, int] | None = None

    def add(self, row: int, first_column: int, last_column: int | None = None) -> None:
        last = first_column if last_column is None else last_column
        low, high = self.rows or (row, row)
        self.rows = (min(low, row), max(high, row))
        low, high = self.columns or (first_column, last)
        self.columns = (min(low, first_column), max(high, last))

    @property
    def cells(self) -> int:
        if self.rows is None or self.columns is None:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.columns[1] - self.columns[0] + 1)


def _number(text: str | None, default: int) -> int:
    if not text:
        return default
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"not a count: {text[:20]!r}")
    return int(text) if len(text) <= 9 else _HUGE


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1 :]


def _parse(fh: IO[bytes], handlers: dict[str, Any]) -> None:
    parser = expat.ParserCreate()
    for attr, handler in handlers.items():
        setattr(parser, attr, handler)
    while block := fh.read(_BLOCK):
        parser.Parse(block, False)
    parser.Parse(b"", True)


# --- .xlsx ----------------------------------------------------------------------------------


def _column(ref: str) -> int:
    index = 0
    for ch in ref:
        if not "A" <= ch <= "Z":
            break
        index = index * 26 + ord(ch) - 64
        if index > _HUGE:
            return _HUGE
    return index - 1


def _xlsx_box(fh: IO[bytes]) -> _Box:
    box = _Box()
    at = {"row": 0, "column": -1}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "row":
            at["row"] = _number(attrs.get("r"), at["row"] + 1)
            at["column"] = -1
        elif local == "c":
            ref = attrs.get("r")
            at["column"] = _column(ref) if ref else at["column"] + 1
        elif local in ("v", "is"):
            box.add(at["row"], at["column"])

    _parse(fh, {"StartElementHandler": start})
    return box


def _xlsx_cells(path: Path, hint: str, member_bytes: int) -> int:
    with zipfile.ZipFile(path) as zf:
        check_zip(zf, str(path), member_bytes=member_bytes, hint=hint)
        total = 0
        for _name, part, _state in sheet_parts(zf):
            if part in zf.namelist():
                with zf.open(part) as fh:
                    total += _xlsx_box(fh).cells
        return total


# --- .ods -----------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _ods_cells(path: Path, hint: str, member_bytes: int) -> int:
    with zipfile.ZipFile(path) as zf:
        check_zip(zf, str(path), member_bytes=member_bytes, hint=hint)
        total = 0
        box = _Box()
        row = {"at": 0, "repeat": 1, "column": 0, "width": 0}
        cell = {"repeat": 1, "valued": False, "depth": 0}

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal total, box
            if tag == f"{_TABLE}|table":
                total += box.cells
                box = _Box()
                row["at"] = 0
            elif tag == f"{_TABLE}|table-row":
                row["repeat"] = _number(attrs.get(f"{_TABLE}|number-rows-repeated"), 1)
                row["column"], row["width"] = 0, 0
            elif tag in (f"{_TABLE}|table-cell", f"{_TABLE}|covered-table-cell"):
                cell["repeat"] = _number(attrs.get(f"{_TABLE}|number-columns-repeated"), 1)
                cell["valued"] = f"{_OFFICE}|value-type" in attrs
                cell["depth"] = 1
            elif cell["depth"]:
                cell["valued"] = True  # any content (text:p …) in a cell

        def end(tag: str) -> None:
            if tag in (f"{_TABLE}|table-cell", f"{_TABLE}|covered-table-cell"):
                row["column"] += cell["repeat"]
                if cell["valued"]:
                    row["width"] = row["column"]
                cell["depth"] = 0
            elif tag == f"{_TABLE}|table-row":
                if row["width"]:
                    box.add(row["at"], 0, row["width"] - 1)
                    box.add(row["at"] + row["repeat"] - 1, 0)
                row["at"] += row["repeat"]

        with zf.open("content.xml") as fh:
            parser = expat.ParserCreate(namespace_separator="|")
            parser.StartElementHandler = start
            parser.EndElementHandler = end
            while block := fh.read(_BLOCK):
                parser.Parse(block, False)
            parser.Parse(b"", True)
        return total + box.cells


# --- .xls -----------------------------------------------------------------------------------

_BOF, _EOF, _WORKSHEET = 0x0809, 0x000A, 0x0010
#: Cell records with a value (BIFF8 and older); blanks (BLANK, MULBLANK) do not count.
_VALUE_CELLS = {0x0203, 0x027E, 0x0204, 0x00FD, 0x0205, 0x0006, 0x00D6, 0x0406, 0x0206,
                0x0002, 0x0003, 0x0004, 0x0005}  # fmt: skip
_MULRK = 0x00BD
_DIMENSION = 0x0200
#: The most rows and columns a BIFF8 sheet may declare (Excel 97–2003: 65,536 × 256).
_XLS_ROWS, _XLS_COLUMNS = 1 << 16, 1 << 8


def _xls_dimension(data: bytes, body: int, size: int) -> None:
    """Refuse a sheet's DIMENSION record that runs backwards or past the format's grid:
    calamine reserves the sheet's cells from it, and such a range asks for hundreds of
    gigabytes and aborts the process (found by the fuzz suite). A range within the grid
    is only reserved, not used, so styled blanks far out are still read."""
    if size >= 14:  # BIFF8: first row, last row + 1 (32 bits), first column, last column + 1
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", data, body)
    elif size >= 10:  # BIFF2–5: 16-bit rows
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", data, body)
    else:
        return
    if not (first_row <= end_row <= _XLS_ROWS and first_col <= end_col <= _XLS_COLUMNS):
        raise ValueError(
            _(
                "the sheet's declared size is not valid: rows {first_row}–{end_row}, "
                "columns {first_col}–{end_col}"
            ).format(first_row=first_row, end_row=end_row, first_col=first_col, end_col=end_col)
        )


def _xls_cells(path: Path) -> int:
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            raise ValueError("no workbook stream")
        data = ole.openstream(name).read()
    total, box, pos = 0, None, 0
    while pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        body, pos = pos + 4, pos + 4 + size
        if kind == _BOF:
            sub = struct.unpack_from("<H", data, body + 2)[0] if size >= 4 else 0
            box = _Box() if sub == _WORKSHEET else None
        elif kind == _EOF and box is not None:
            total, box = total + box.cells, None
        elif kind == _DIMENSION:
            _xls_dimension(data, body, size)
        elif box is not None and size >= 4 and (kind in _VALUE_CELLS or kind == _MULRK):
            row, column = struct.unpack_from("<HH", data, body)
            last = struct.unpack_from("<H", data, pos - 2)[0] if kind == _MULRK else None
            box.add(row, column, last)
    return total + (box.cells if box is not None else 0)


def check_workbook(path: Path, *, hint: str, member_bytes: int = MAX_MEMBER_BYTES) -> None:
    """Refuse a workbook python-calamine could not hold (see the module); ``hint`` says
    what to do.  Zip members over ``member_bytes`` unzipped are refused too."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            cells = _xlsx_cells(path, hint, member_bytes)
        elif suffix == ".ods":
            cells = _ods_cells(path, hint, member_bytes)
        elif suffix == ".xls":
            cells = _xls_cells(path)
        else:
            return
    except UserError:
        raise
    except (*BROKEN, struct.error, IndexError) as exc:
        raise not_a_workbook(path, suffix) or UserError(
            _(
                "Cannot read the file {path}: the {suffix} file is damaged or not well formed "
                "({error}: {detail})"
            ).format(path=path, suffix=suffix, error=type(exc).__name__, detail=str(exc)[:120]),
            hint=hint,
        ) from None
    if cells > MAX_GRID_CELLS:
        what = _(
            "the sheets span {cells} cells (from the first to the last cell with data)"
        ).format(cells=count(cells))
        limit = _("{limit} cells").format(limit=count(MAX_GRID_CELLS))
        raise refusal(str(path), what, limit, hint)
