"""Rows of an export as pieces of text columns: decoration dropped, cut into blocks.

A :class:`Piece` is a run of consecutive records of one file: their row (line) numbers
and one Arrow text array per file column.  Readers that parse columns natively (CSV)
produce pieces directly; the others' rows are transposed (:func:`pieces_of_rows`).
Decoration (blank, numbering and totals rows, ``layout.is_decoration``) is found for a
whole piece at once; only the rows whose key cell could be decoration are looked at one
by one.  :func:`blocks_of` then cuts the remaining rows into blocks of a fixed size, so
the converter sees the same blocks whichever reader produced the rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chiso.ingest.layout import is_decoration

__all__ = ["Piece", "PieceReader", "blocks_of", "drop_decoration", "pieces_of_rows"]

#: Rows transposed at a time by :func:`pieces_of_rows`.
PIECE_ROWS = 10_000
Row = tuple[int, list[str | None]]


@dataclass
class Piece:
    """Consecutive records: row numbers and one text array per file column."""

    rows: np.ndarray  # int64 row (line) numbers
    columns: list[pa.Array]

    def __len__(self) -> int:
        """The number of records."""
        return len(self.rows)

    def column(self, index: int) -> pa.Array:
        """File column ``index`` (all null where the rows are narrower)."""
        if index < len(self.columns):
            return self.columns[index]
        return pa.nulls(len(self.rows), pa.string())

    def take(self, indices: np.ndarray) -> Piece:
        """The records at ``indices``."""
        where = pa.array(indices, pa.int64())
        return Piece(self.rows[indices], [c.take(where) for c in self.columns])

    def cells(self, indices: np.ndarray) -> list[list[str | None]]:
        """The records at ``indices`` as lists of cells."""
        taken = self.take(indices).columns
        if not taken:
            return [[] for _ in indices]
        return [list(r) for r in zip(*(c.to_pylist() for c in taken), strict=True)]


#: Reads a file's records from a line on as pieces: ``reader(first_line)``.
PieceReader = Callable[[int], Iterator[Piece]]


def pieces_of_rows(rows: Iterator[Row]) -> Iterator[Piece]:
    """Transpose rows (cells as text or None) into pieces; short rows are padded."""
    while chunk := list(itertools.islice(rows, PIECE_ROWS)):
        width = max((len(cells) for _, cells in chunk), default=0)
        columns = itertools.zip_longest(*(cells for _, cells in chunk), fillvalue=None)
        arrays = [pa.array(column, pa.string()) for column in columns]
        assert len(arrays) == width
        yield Piece(np.array([n for n, _ in chunk], np.int64), arrays)


# A key cell that is surely a record key (``is_decoration``'s quick test, on whole arrays):
# no whitespace to strip at either end, not a numbering cell, not a possible totals label.
_WORD_START = r"^[\p{L}\p{N}]"
_SOLID_END = r"[\p{L}\p{N}\p{P}\p{S}]$"
_NUMBERING_START = r"^\(?\p{Nd}{1,2}(?:$|[^\p{L}\p{N}])"
_TOTALS_START = r"^[TtCc]"


_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[
    np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8)
] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[np.frombuffer(b"0123456789", np.uint8)] = True
_TOTALS_INITIAL = np.zeros(256, dtype=bool)
_TOTALS_INITIAL[np.frombuffer(b"TtCc", np.uint8)] = True


def _sure_ascii_keys(key: pa.Array) -> np.ndarray | None:
    """:func:`_sure_keys` from the bytes of a column of ASCII text without nulls (the usual
    key column), by the same rules; None for any other column."""
    if key.null_count or not pc.all(pc.string_is_ascii(key)).as_py():
        return None
    _, offsets_buffer, data_buffer = key.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, len(key) + 1, key.offset * 4)
    length = np.diff(offsets)
    if data_buffer is None or not length.all():
        return None
    data = np.frombuffer(data_buffer, np.uint8)
    last = len(data) - 1
    starts = offsets[:-1]
    first = data[starts]
    second = data[np.minimum(starts + 1, last)]
    third = data[np.minimum(starts + 2, last)]
    end = data[offsets[1:] - 1]
    # ^\(?\p{Nd}{1,2}(?:$|[^\p{L}\p{N}]) for a key that starts with a letter or digit
    numbering = _DIGIT[first] & (
        (length == 1) | ~_ALNUM[second] | (_DIGIT[second] & ((length == 2) | ~_ALNUM[third]))
    )
    solid_end = (end > 0x20) & (end < 0x7F)  # every printable ASCII is L, N, P or S
    sure = _ALNUM[first] & solid_end & ((length >= 20) | ~_TOTALS_INITIAL[first]) & ~numbering
    return np.asarray(sure, dtype=bool)


def _sure_keys(key: pa.Array) -> np.ndarray:
    quick = _sure_ascii_keys(key)
    if quick is not None:
        return quick

    def matches(pattern: str) -> pa.Array:
        return pc.fill_null(pc.match_substring_regex(key, pattern), False)

    long = pc.fill_null(pc.greater_equal(pc.utf8_length(key), 20), False)
    sure = pc.and_(
        pc.and_(matches(_WORD_START), matches(_SOLID_END)),
        pc.and_(
            pc.or_(long, pc.invert(matches(_TOTALS_START))), pc.invert(matches(_NUMBERING_START))
        ),
    )
    return np.asarray(sure.to_numpy(zero_copy_only=False), dtype=bool)


def drop_decoration(piece: Piece, key_index: int) -> tuple[Piece, int]:
    """The piece without its decoration rows, and how many were dropped."""
    sure = _sure_keys(piece.column(key_index))
    if sure.all():
        return piece, 0
    unsure = np.flatnonzero(~sure)
    cells = piece.cells(unsure)
    decoration = np.array([is_decoration(c, key_index) for c in cells], dtype=bool)
    if not decoration.any():
        return piece, 0
    keep = np.ones(len(piece), dtype=bool)
    keep[unsure[decoration]] = False
    return piece.take(np.flatnonzero(keep)), int(decoration.sum())


def blocks_of(pieces: Iterator[Piece], size: int) -> Iterator[Piece]:
    """Pieces regrouped into blocks of exactly ``size`` records (the last one shorter)."""
    held: list[Piece] = []
    count = 0
    for piece in pieces:
        if len(piece) == 0:
            continue
        held.append(piece)
        count += len(piece)
        while count >= size:
            block, held = _split(held, size)
            count -= size
            yield block
    if count:
        yield _split(held, count)[0]


def _split(pieces: list[Piece], size: int) -> tuple[Piece, list[Piece]]:
    """The first ``size`` records of ``pieces`` as one piece, and the rest."""
    width = max(len(p.columns) for p in pieces)
    taken: list[Piece] = []
    need = size
    rest = list(pieces)
    while need:
        first = rest.pop(0)
        if len(first) <= need:
            taken.append(first)
            need -= len(first)
        else:
            taken.append(_slice(first, 0, need))
            rest.insert(0, _slice(first, need, len(first)))
            need = 0
    rows = np.concatenate([p.rows for p in taken])
    columns = [
        pa.concat_arrays([p.column(j) for p in taken]) if len(taken) > 1 else taken[0].column(j)
        for j in range(width)
    ]
    return Piece(rows, columns), rest


def _slice(piece: Piece, start: int, stop: int) -> Piece:
    return Piece(piece.rows[start:stop], [c.slice(start, stop - start) for c in piece.columns])
