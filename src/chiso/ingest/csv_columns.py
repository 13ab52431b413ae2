"""Read the records of a CSV export as text columns with Arrow's CSV reader.

The rows are the same as Python's ``csv`` module gives (``sources._csv_rows``): the
same cells, raw, and the same line numbers (a record starts on the line after the
previous record's last line; line breaks inside quoted cells count).  Arrow reads a
record the way ``csv`` does for every dialect the sniffer finds except ones with an
escape character or spaces skipped after the delimiter (those files are read by
``csv``).  Where Arrow stops — a row with another number of cells, an unclosed quote,
text that is not in the file's encoding, a cell longer than ``csv`` accepts or holding
a carriage return, a record that may hold a line longer than ``MAX_CSV_LINE_CHARS`` —
the rest of the file, from the first record of the batch Arrow could not read, is read by
``csv`` instead, so its rows and its errors are exactly those of the ``csv`` reader
(which refuses such a line or cell, naming it).  A record starting past
``MAX_CSV_ROWS`` lines is refused here, as ``csv`` refuses it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from chiso.ingest.csv_bounds import too_many_rows
from chiso.ingest.limits import MAX_CSV_LINE_CHARS, MAX_CSV_ROWS
from chiso.ingest.pieces import Piece, PieceReader, pieces_of_rows

__all__ = ["csv_pieces"]

#: Bytes Arrow reads at a time: one batch of records.
BATCH_BYTES = 4 << 20
#: Columns declared as text (Arrow would otherwise guess numbers).
_MAX_COLUMNS = 1024
_BREAK = re.compile(rb"\r\n|\r|\n")
Rows = Callable[[], Iterator[tuple[int, list[str | None]]]]


def csv_pieces(path: Path, encoding: str, dialect: Any, rows: Rows) -> PieceReader | None:
    """A reader of ``path``'s records from a line on (None: only ``csv`` reads the dialect).

    ``rows()`` opens the ``csv`` reader of the same file, used from where Arrow stops.
    """
    if dialect.escapechar is not None or dialect.skipinitialspace:
        return None
    if dialect.quoting == csv.QUOTE_NONE or len(dialect.delimiter) != 1:
        return None
    return partial(_read, path, encoding, dialect, rows)


def _line_offset(path: Path, line: int) -> int | None:
    """The byte offset where physical line ``line`` starts (None: not in the first MB)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    for seen, found in enumerate(_BREAK.finditer(head), start=1):
        if seen == line - 1:
            if found.group() == b"\r" and found.end() == len(head):
                return None  # perhaps the first half of \r\n
            return found.end()
    return None


def _reader(path: Path, offset: int, encoding: str, dialect: Any) -> pcsv.CSVStreamingReader:
    stream = pa.OSFile(str(path))
    stream.seek(offset)
    return pcsv.open_csv(
        stream,
        read_options=pcsv.ReadOptions(
            use_threads=True,
            block_size=BATCH_BYTES,
            autogenerate_column_names=True,
            encoding="utf8" if encoding.startswith("utf-8") else encoding,
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quotechar or False,
            double_quote=bool(dialect.doublequote),
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
        ),
        convert_options=pcsv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(_MAX_COLUMNS)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _text_bytes(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string column's offsets and the bytes its cells span, as NumPy views (no copy)."""
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, len(column) + 1, column.offset * 4)
    if data_buffer is None or len(column) == 0:
        return offsets, np.zeros(0, np.uint8)
    return offsets, np.frombuffer(data_buffer, np.uint8)[offsets[0] : offsets[-1]]


def _line_breaks(columns: list[pa.Array]) -> np.ndarray | None:
    """Line breaks inside each record's cells (None: there are none; no cell holds \\r)."""
    total: np.ndarray | None = None
    for column in columns:
        if not (_text_bytes(column)[1] == ord("\n")).any():  # the usual column: one pass
            continue
        counted = pc.count_substring(column, "\n")
        counts = np.asarray(counted.to_numpy(zero_copy_only=False), dtype=np.int64)
        total = counts if total is None else total + counts
    return total


def _readable(columns: list[pa.Array]) -> bool:
    """Whether Arrow read these cells as ``csv`` does: text, none longer than ``csv``'s
    limit, no carriage return inside a cell (Arrow drops the \\n of a quoted \\r\\n that
    straddles two of its blocks), and no record that may hold a physical line over
    ``MAX_CSV_LINE_CHARS`` (``csv`` refuses such a line)."""
    limit = csv.field_size_limit()
    for column in columns:
        if not pa.types.is_string(column.type):
            return False
        offsets, data = _text_bytes(column)
        if (data == ord("\r")).any():
            return False
        if len(column) and int(np.diff(offsets).max()) > limit:
            return False
    return _longest_line_bound(columns) <= MAX_CSV_LINE_CHARS


def _longest_line_bound(columns: list[pa.Array]) -> int:
    """At least the characters of any record's longest physical line: each cell counted
    as quoted with every character a doubled quote (``2 × bytes + 2``), plus its delimiter.
    (A null cell spans no bytes: Arrow's offsets give it length 0.)"""
    if not columns:
        return 0
    total = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        total += 2 * np.diff(_text_bytes(column)[0]).astype(np.int64) + 3
    return int(total.max()) if len(total) else 0


def _read(path: Path, encoding: str, dialect: Any, rows: Rows, first_line: int) -> Iterator[Piece]:
    line = first_line
    offset = _line_offset(path, first_line)
    if offset is not None:
        try:
            reader = _reader(path, offset, encoding, dialect)
        except (pa.ArrowException, ValueError):
            reader = None
        while reader is not None:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except (pa.ArrowException, ValueError):
                break
            if batch.num_rows == 0:
                continue
            columns = [batch.column(i) for i in range(batch.num_columns)]
            if not _readable(columns):
                break
            lines = np.ones(batch.num_rows, dtype=np.int64)
            breaks = _line_breaks(columns)
            if breaks is not None:
                lines += breaks
            starts = line + np.concatenate(([0], np.cumsum(lines)[:-1]))
            if int(starts[-1]) > MAX_CSV_ROWS:
                raise too_many_rows(path, MAX_CSV_ROWS)
            line += int(lines.sum())
            yield Piece(starts.astype(np.int64), columns)
    yield from pieces_of_rows(r for r in rows() if r[0] >= line)
