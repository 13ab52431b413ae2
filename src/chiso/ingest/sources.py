"""Open an export file and yield its rows as text cells, whatever the format.

CSV (UTF-8 with or without BOM, or Windows-1258; comma, semicolon or tab), XLSX
(streamed, see ``xlsx_stream``), XLS and ODS (python-calamine).  Every cell comes
back as text or ``None`` (``cells.cell_text``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.cells import cell_text
from chiso.ingest.csv_bounds import cell_too_long, line_too_long, too_many_rows
from chiso.ingest.csv_columns import csv_pieces
from chiso.ingest.limits import MAX_CSV_LINE_CHARS, MAX_CSV_ROWS, is_panic
from chiso.ingest.pieces import PieceReader
from chiso.ingest.workbook_guard import check_workbook
from chiso.ingest.xlsx_stream import iter_xlsx_rows, xlsx_pieces

__all__ = ["FORMATS", "RowSource", "cell_text", "open_rows"]

FORMATS = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class RowSource:
    """The rows of one file (first visible sheet for workbooks)."""

    file: str
    rows: Iterator[tuple[int, list[str | None]]]
    #: The rows from a line on as blocks of text columns, where the format can read them
    #: so (CSV, XLSX); the same rows as ``rows`` gives, faster.
    pieces: PieceReader | None = None


def _encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
        whole = not fh.read(1)
    for encoding in ("utf-8-sig", "cp1258"):
        try:  # incremental: a character cut at the end of the sample is not an error
            codecs.getincrementaldecoder(encoding)().decode(head, final=whole)
        except UnicodeDecodeError:
            continue
        return encoding
    raise UserError(
        _("{path}: cannot tell the text encoding").format(path=path),
        hint=_("save the file as CSV UTF-8 from Excel or LibreOffice"),
    )


def _dialect(path: Path, encoding: str) -> Any:
    with io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="") as fh:
        sample = fh.read(1 << 15)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _bounded_lines(fh: io.TextIOBase, path: Path) -> Iterator[str]:
    """The lines of ``fh``, refusing one longer than MAX_CSV_LINE_CHARS before it is
    read whole (a file without line ends would otherwise be one string)."""
    number = 0
    while line := fh.readline(MAX_CSV_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_CSV_LINE_CHARS:
            raise line_too_long(path, number, MAX_CSV_LINE_CHARS)
        yield line


def _csv_rows(path: Path, encoding: str, dialect: Any) -> Iterator[tuple[int, list[str | None]]]:
    with io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="") as fh:
        reader = csv.reader(_bounded_lines(fh, path), dialect)
        line = 1
        try:
            for record in reader:  # raw text: NFC and trimming happen per column, vectorised
                if line > MAX_CSV_ROWS:
                    raise too_many_rows(path, MAX_CSV_ROWS)
                yield line, record  # type: ignore[misc]
                line = reader.line_num + 1
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise cell_too_long(path, reader.line_num) from None
            raise UserError(
                _("{path}, line {line_num}: broken CSV ({exc})").format(
                    path=path, line_num=reader.line_num, exc=exc
                ),
                hint=_("check for an unclosed quote on that line"),
            ) from None
        except UnicodeDecodeError:
            raise UserError(
                _("{path}, after line {line_num}: text that is not {encoding}").format(
                    path=path, line_num=reader.line_num, encoding=fh.encoding
                ),
                hint=_("save the whole file as CSV UTF-8 from Excel or LibreOffice"),
            ) from None


def _calamine_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    from python_calamine import CalamineWorkbook

    check_workbook(path, hint=_("save the file again as .xlsx or export CSV"))
    try:
        book = CalamineWorkbook.from_path(str(path))
        visible = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")]
        sheet = book.get_sheet_by_name(visible[0] if visible else book.sheet_names[0])
    except BaseException as exc:  # calamine raises its own error types per format
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        raise UserError(
            _("{path}: not a readable spreadsheet ({exc})").format(path=path, exc=exc),
            hint=_("save it again as .xlsx, or export CSV"),
        ) from None
    first = sheet.start[0] if sheet.start else 0
    for offset, record in enumerate(sheet.iter_rows()):
        yield first + offset + 1, [cell_text(c) for c in record]


def open_rows(path: Path) -> RowSource:
    """Open ``path`` by its extension."""
    if not path.is_file():
        raise UserError(_("{path}: no such file").format(path=path), hint=_("check the path"))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        encoding = _encoding(path)
        dialect = _dialect(path, encoding)
        rows = partial(_csv_rows, path, encoding, dialect)
        return RowSource(str(path), rows(), csv_pieces(path, encoding, dialect, rows))
    if suffix in (".xlsx", ".xlsm"):
        return RowSource(str(path), iter_xlsx_rows(path), xlsx_pieces(path))
    if suffix in (".xls", ".ods"):
        return RowSource(str(path), _calamine_rows(path))
    raise UserError(
        _("{path}: unsupported file type {value}").format(path=path, value=suffix or "(none)"),
        hint=_("export the data as one of {names}").format(names=", ".join(FORMATS)),
    )
