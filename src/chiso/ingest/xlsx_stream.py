"""Stream the rows of an .xlsx sheet with bounded memory.

python-calamine reads a whole sheet into memory before the first row is available
(``dimastbk/python-calamine`` #42), so a million-row export would cost gigabytes.
This reader reads ``xl/worksheets/sheetN.xml`` incrementally: memory holds the
shared-string table and one run of rows.  The rows inside ``<sheetData>`` go in runs
of about a megabyte to ``xlsx_runs`` (Arrow, no Python per element); what it does not
read — the rest of the part, and runs in another shape — goes to one expat parser, in
file order, so that every byte is either read by one or parsed by the other.  Cells
come back as text (``cells.cell_text``): numbers, including dates as Excel serial days,
with a decimal comma, booleans as ``true``/``false``; which numbers are dates is decided
by the column they land in, not by cell styles.
"""

from __future__ import annotations

import itertools
import lzma
import posixpath
import re
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar
from xml.parsers import expat

import pyarrow as pa

from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.ingest.cells import number_text
from chiso.ingest.file_kind import not_a_workbook
from chiso.ingest.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_ROWS,
    MAX_STRINGS_BYTES,
    check_zip,
    count,
    refusal,
)
from chiso.ingest.parallel import ordered_map, worker_pool
from chiso.ingest.pieces import Piece, PieceReader, pieces_of_rows
from chiso.ingest.xlsx_runs import Rows, Run, read_run, read_strings

__all__ = ["BROKEN", "first_visible_sheet", "iter_xlsx_rows", "sheet_parts", "xlsx_pieces"]

T = TypeVar("T")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_BLOCK = 1 << 20
_RUN = 1 << 20  # bytes of rows read at once by ``xlsx_runs`` (4 MB: no faster, 45 MB more)
_OPEN, _CLOSE, _ROW = b"<sheetData>", b"</sheetData>", b"<row "
_STRINGS = "xl/sharedStrings.xml"
#: What could hide a ``<row `` from a plain search: comment, CDATA, DOCTYPE, PI.
_HIDING = re.compile(rb"<!|<\?(?!xml\s)")
_ENCODING = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_HINT = N_("save it again from Excel as .xlsx, or export CSV")
_FIX = N_(
    "open the file in Excel, keep only the data table and save it again as .xlsx, or export CSV"
)
#: What a broken zip or part raises while it is read (a truncated or altered file): a bad
#: CRC or stream, a flipped compression method (NotImplementedError) or encryption flag
#: (RuntimeError), malformed XML, a missing part, a bad number.
BROKEN = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, KeyError, OSError, ValueError,
    NotImplementedError, RuntimeError, expat.ExpatError,
)  # fmt: skip


def _column_index(ref: str) -> int:
    """``"AB12"`` → 27 (zero-based column of a cell reference)."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + (ord(ch) - 64)
        else:
            break
    return index - 1


def _parse_all(zf: zipfile.ZipFile, name: str, handlers: dict[str, Any]) -> None:
    parser = expat.ParserCreate(namespace_separator="|")
    for attr, handler in handlers.items():
        setattr(parser, attr, handler)
    with zf.open(name) as fh:
        parser.ParseFile(fh)


def _shared_strings(zf: zipfile.ZipFile, file: str) -> list[str]:
    if _STRINGS not in zf.namelist():
        return []
    size = zf.getinfo(_STRINGS).file_size
    if size > MAX_STRINGS_BYTES:
        what = _("the shared strings table (sharedStrings.xml) unzips to {size} MB").format(
            size=count(size >> 20)
        )
        raise refusal(file, what, f"{count(MAX_STRINGS_BYTES >> 20)} MB", _(_FIX))
    plain = _plain_strings(zf.read(_STRINGS))
    strings = plain if plain is not None else _expat_strings(zf, file)
    if len(strings) > MAX_SHARED_STRINGS:
        raise _too_many_strings(file)
    longest = max(map(len, strings), default=0)
    if longest > MAX_CELL_CHARS:
        what = _("a shared string is {length} characters long").format(length=count(longest))
        per_cell = _("{limit} characters a cell").format(limit=count(MAX_CELL_CHARS))
        raise refusal(file, what, per_cell, _(_FIX))
    return strings


def _too_many_strings(file: str) -> UserError:
    what = _("the shared strings table has too many strings")
    return refusal(file, what, count(MAX_SHARED_STRINGS), _(_FIX))


def _expat_strings(zf: zipfile.ZipFile, file: str) -> list[str]:
    strings: list[str] = []
    parts: list[str] = []
    depth = {"rph": 0, "t": 0}  # inside phonetic runs (skipped) / inside <t>

    def start(tag: str, _attrs: dict[str, str]) -> None:
        local = tag.rsplit("|", 1)[-1]
        if local == "si":
            parts.clear()
        elif local == "rPh":
            depth["rph"] += 1
        elif local == "t" and not depth["rph"]:
            depth["t"] = 1

    def end(tag: str) -> None:
        local = tag.rsplit("|", 1)[-1]
        if local == "si":
            strings.append("".join(parts))
            if len(strings) > MAX_SHARED_STRINGS:
                raise _too_many_strings(file)
        elif local == "rPh":
            depth["rph"] -= 1
        elif local == "t":
            depth["t"] = 0

    def text(data: str) -> None:
        if depth["t"]:
            parts.append(data)

    handlers = {
        "StartElementHandler": start,
        "EndElementHandler": end,
        "CharacterDataHandler": text,
    }
    _parse_all(zf, _STRINGS, handlers)
    return strings


def _plain_strings(data: bytes) -> list[str] | None:
    """The shared strings when every one is plain text (``xlsx_runs.read_strings``) and the
    rest of the part is well-formed; else ``None`` (expat reads the part)."""
    start = data.find(b"<sst")
    opened = data.find(b">", start) + 1
    closed = data.rfind(b"</sst>")
    if start < 0 or not 0 < opened <= closed or not _utf8_without_hiding(data):
        return None
    try:
        expat.ParserCreate().Parse(data[:opened] + data[closed:], True)
    except expat.ExpatError:
        return None
    return read_strings(data[opened:closed])


def _utf8_without_hiding(data: bytes) -> bool:
    """UTF-8 XML without comment, CDATA section, DOCTYPE or processing instruction."""
    found = _ENCODING.match(data)
    utf8 = found is None or found.group(1).lower() in (b"utf-8", b"utf8")
    return utf8 and _HIDING.search(data) is None


def first_visible_sheet(zf: zipfile.ZipFile) -> tuple[str, str]:
    """``(sheet name, part path)`` of the first sheet that is not hidden."""
    for name, path, state in sheet_parts(zf):
        if state == "visible":
            return name, path
    raise UserError(
        _("the workbook has no visible sheet"), hint=_("unhide the sheet with the data")
    )


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """``(sheet name, part path, state)`` of every sheet the workbook lists with a part."""
    sheets: list[tuple[str, str, str]] = []
    rels: dict[str, str] = {}

    def sheet_start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_MAIN}|sheet":
            state = attrs.get("state", "visible")
            sheets.append((attrs.get("name", ""), attrs.get(f"{_REL}|id", ""), state))

    def rel_start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_PKG_REL}|Relationship":
            rels[attrs["Id"]] = attrs["Target"]

    _parse_all(zf, "xl/workbook.xml", {"StartElementHandler": sheet_start})
    _parse_all(zf, "xl/_rels/workbook.xml.rels", {"StartElementHandler": rel_start})
    parts = []
    for name, rel_id, state in sheets:
        if rel_id in rels:
            target = rels[rel_id]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            parts.append((name, posixpath.normpath(path), state))
    return parts


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1 :]


class _SheetParser:
    """Expat callbacks that turn ``<row><c><v>`` into lists of text cells.

    The parser runs without namespace processing (faster): elements are compared by
    local name, whatever prefix a writer used (``c`` or ``x:c``).
    """

    def __init__(self, file: str, strings: list[str]) -> None:
        self.file = file
        self.strings = strings
        self.done: Rows = []
        self.row: list[str | None] = []
        self.row_number = 0
        self.cell_type = "n"
        self.cell_column = 0
        self.text: list[str] | None = None
        self.parts: list[str] = []
        self.chars_in_cell = 0
        self.in_cell = False
        self.in_row = False
        self.hidden = False  # a comment, CDATA section or PI was fed (see ``at_row_start``)
        self.fed = 0
        self.last = b""
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.chars
        self.parser.buffer_text = True

    def feed(self, data: bytes, *, final: bool = False) -> None:
        """Parse the next bytes of the part."""
        if not self.fed:
            self.hidden = not _utf8_without_hiding(data)
        self.hidden = self.hidden or _HIDING.search(self.last + data) is not None
        self.fed += len(data)
        self.last = data[-1:] or self.last  # a "<!" may be cut between two pieces
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise UserError(
                _("{file}: the sheet is not well-formed XML (line {lineno}: {problem})").format(
                    file=self.file, lineno=exc.lineno, problem=expat.ErrorString(exc.code)
                ),
                hint=_(_HINT),
            ) from None

    def at_row_start(self) -> bool:
        """Whether the bytes fed so far end between rows, so that the next run of whole
        rows may be read without the parser (nothing hides a ``<row `` in a comment or
        CDATA section, and no row or cell is open)."""
        return not (self.hidden or self.in_row or self.in_cell)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag if len(tag) == 1 else _local(tag)
        if local == "c":
            ref = attrs.get("r")
            self.cell_column = _column_index(ref) if ref else len(self.row)
            if max(self.cell_column, len(self.row)) >= MAX_COLUMNS:
                where = (
                    ref[:12]
                    if ref
                    else _("number {n} of the row").format(n=count(len(self.row) + 1))
                )
                raise self._over(
                    _("has the cell {where} outside the first {limit} columns").format(
                        where=where, limit=MAX_COLUMNS
                    ),
                    _("{limit} columns, up to column {last}").format(
                        limit=MAX_COLUMNS, last=_column_letters(MAX_COLUMNS - 1)
                    ),
                )
            self.cell_type = attrs.get("t", "n")
            self.in_cell = True
            self.parts = []
            self.chars_in_cell = 0
        elif local in ("v", "t"):
            if self.in_cell:
                self.text = self.parts
        elif local == "row":
            number = attrs.get("r")
            self.row_number = _row_number(number) if number else self.row_number + 1
            if self.row_number > MAX_SHEET_ROWS:
                what = _("has the row number {row}").format(row=count(self.row_number))
                raise self._over(what, _("{limit} lines").format(limit=count(MAX_SHEET_ROWS)))
            self.row = []
            self.in_row = True

    def end(self, tag: str) -> None:
        local = tag if len(tag) == 1 else _local(tag)
        if local in ("v", "t"):
            self.text = None
        elif local == "c":
            self.in_cell = False
            if self.parts:
                value = self._value("".join(self.parts))
                row = self.row
                if len(row) < self.cell_column:
                    row.extend([None] * (self.cell_column - len(row)))
                row.append(value)
        elif local == "row":
            self.done.append((self.row_number, self.row))
            self.in_row = False

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.chars_in_cell += len(data)
            if self.chars_in_cell > MAX_CELL_CHARS:
                column = _column_letters(self.cell_column)
                what = _("the cell {cell} is longer than {limit} characters").format(
                    cell=f"{column}{self.row_number}", limit=count(MAX_CELL_CHARS)
                )
                raise self._over(
                    what, _("{limit} characters a cell").format(limit=count(MAX_CELL_CHARS))
                )
            self.text.append(data)

    def _over(self, what: str, limit: str) -> UserError:
        """A limit passed: the parser stops (expat re-raises the handler's error)."""
        return refusal(self.file, what, limit, _(_FIX))

    def _value(self, raw: str) -> str:
        kind = self.cell_type
        try:
            if kind == "s":
                return self.strings[int(raw)]
            if kind in ("inlineStr", "str", "e", "d"):
                return raw
            if kind == "b":
                return "true" if raw == "1" else "false"
            return number_text(raw)
        except (ValueError, IndexError):
            column = _column_letters(self.cell_column)
            problem = (
                _("{file}, row {row}, column {column}: “{raw}” is not a shared string")
                if kind == "s"
                else _("{file}, row {row}, column {column}: “{raw}” is not a number")
            )
            raise UserError(
                problem.format(file=self.file, row=self.row_number, column=column, raw=raw[:40]),
                hint=_(_HINT),
            ) from None


def _row_number(text: str) -> int:
    """A row's ``r``: its number (above the limit when too long to convert)."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"row number {text[:20]!r}")
    return int(digits) if len(digits) <= 9 else MAX_SHEET_ROWS + 1


def _column_letters(index: int) -> str:
    """27 → ``"AB"`` (the inverse of :func:`_column_index`)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _pieces(fh: IO[bytes]) -> Iterator[tuple[bool, bytes]]:
    """The part in file order as ``(whole rows?, bytes)``: runs of whole rows inside
    ``<sheetData>``, cut before a ``<row `` (True), and everything else (False)."""
    pending = b""
    opened = False
    while block := fh.read(_BLOCK):
        pending += block
        if not opened:
            at = pending.find(_OPEN)
            if at < 0:  # keep what may be the start of the tag, cut by the block end
                keep = max(len(pending) - len(_OPEN) + 1, 0)
                yield False, pending[:keep]
                pending = pending[keep:]
                continue
            yield False, pending[: at + len(_OPEN)]
            pending = pending[at + len(_OPEN) :]
            opened = True
        end = pending.find(_CLOSE, max(len(pending) - len(block) - len(_CLOSE), 0))
        if end >= 0:
            yield True, pending[:end]
            yield False, pending[end:]
            yield from ((False, b) for b in iter(lambda: fh.read(_BLOCK), b""))
            return
        cut = pending.rfind(_ROW) if len(pending) >= _RUN else -1
        if cut > 0:
            yield True, pending[:cut]
            pending = pending[cut:]
        elif len(pending) >= 2 * _RUN:  # no "<row " (another spelling): expat reads it
            yield False, pending
            pending = b""
    yield False, pending


def _sheet_runs(fh: IO[bytes], sheet: _SheetParser) -> Iterator[Run | Rows]:
    """The sheet's rows in file order: runs read by Arrow, or rows parsed by expat.

    The part is inflated in this thread; runs of whole rows are read by Arrow in a pool
    of threads, a few ahead (``read_run`` depends on the run's bytes only), and taken in
    file order where the parser is between rows, else the bytes go to expat as before.
    """
    arrow: list[pa.Array] = []
    lock = threading.Lock()

    def shared() -> pa.Array:
        with lock:
            if not arrow:
                arrow.append(pa.array(sheet.strings, pa.string()))
            return arrow[0]

    def attempt(piece: tuple[bool, bytes]) -> tuple[bytes, Run | None]:
        whole_rows, data = piece
        if whole_rows and data.startswith(_ROW):
            return data, read_run(data, sheet.strings, shared)
        return data, None

    pool = worker_pool()
    try:
        yield from _in_order(ordered_map(attempt, _pieces(fh), pool), sheet)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(
    attempts: Iterator[tuple[bytes, Run | None]], sheet: _SheetParser
) -> Iterator[Run | Rows]:
    for data, attempted in attempts:
        if not data:
            continue
        run = attempted if sheet.at_row_start() else None
        if run is None:
            sheet.feed(data)
            rows, sheet.done = sheet.done, []
            yield rows
        elif len(run.numbers):
            sheet.row_number = int(run.numbers[-1])
            yield run
    sheet.feed(b"", final=True)
    yield sheet.done


def _sheet_rows(fh: IO[bytes], sheet: _SheetParser) -> Iterator[tuple[int, list[str | None]]]:
    for item in _sheet_runs(fh, sheet):
        yield from item.rows() if isinstance(item, Run) else item


def _sheet_pieces(fh: IO[bytes], sheet: _SheetParser, first: int) -> Iterator[Piece]:
    """The rows from the first one numbered ``first`` or more on, as pieces."""
    started = False
    for item in _sheet_runs(fh, sheet):
        if isinstance(item, Run):
            piece = item.piece(0 if started else first)
            started = started or len(piece) > 0
            if len(piece):
                yield piece
            continue
        if not started:
            item = list(itertools.dropwhile(lambda r: r[0] < first, item))
            started = bool(item)
        yield from pieces_of_rows(iter(item))


def _read_sheet(path: Path, read: Callable[[IO[bytes], _SheetParser], Iterator[T]]) -> Iterator[T]:
    """What ``read`` gives from the first visible sheet's part, open, and its parser (the
    zip checked first; a broken part is a user error)."""
    try:
        zf = zipfile.ZipFile(path)
    except BROKEN as exc:
        raise not_a_workbook(path, ".xlsx") or UserError(
            _("{path}: not a readable .xlsx file ({exc})").format(path=path, exc=exc),
            hint=_("save it again from Excel as .xlsx, or export CSV"),
        ) from None
    with zf:
        check_zip(zf, str(path), hint=_(_FIX))
        try:
            _name, part = first_visible_sheet(zf)
            sheet = _SheetParser(str(path), _shared_strings(zf, str(path)))
            with zf.open(part) as fh:
                yield from read(fh, sheet)
        except BROKEN as exc:
            raise not_a_workbook(path, ".xlsx") or UserError(
                _(
                    "Cannot read the file {path}: the {suffix} file is damaged or not well "
                    "formed ({error}: {detail})"
                ).format(
                    path=path, suffix=".xlsx", error=type(exc).__name__, detail=str(exc)[:120]
                ),
                hint=_(_FIX),
            ) from None


def iter_xlsx_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    """Yield ``(row number, text cells)`` of the first visible sheet, a run at a time."""
    return _read_sheet(path, _sheet_rows)


def xlsx_pieces(path: Path) -> PieceReader:
    """A reader of the first visible sheet's rows from a row number on, as pieces of text
    columns: the same rows as :func:`iter_xlsx_rows` gives from there, with no Python
    per cell where the rows are read in runs."""

    def read(first: int) -> Iterator[Piece]:
        return _read_sheet(path, lambda fh, sheet: _sheet_pieces(fh, sheet, first))

    return read
