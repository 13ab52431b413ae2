"""Read a run of whole ``<row>`` elements of a sheet at once, with Arrow's regexes.

Calling Python for every XML element cost more than everything else an import does
(``docs/benchmarks.md``, issue #3), so ``xlsx_stream`` hands the sheet's rows here in
runs of about a megabyte.  A run is cut into rows and cells by Arrow (C++: split, RE2
regexes, take); only the distinct number labels and escaped texts, and the finished
row lists, reach Python; the importer takes a run as a :class:`Run` and turns it into
a :class:`~chiso.ingest.pieces.Piece` of text columns without Python per cell
(:meth:`Run.piece`).  Plain shared-string tables are read the same way.

This reads one shape only: the shape Excel, XlsxWriter and openpyxl write — no
whitespace between elements, no namespace prefix, ``r`` on every row and cell, cell
attributes in schema order (``r s t cm vm ph``), a value in ``<v>`` or a plain
``<is><t>`` (optionally after a plain ``<f>``), no comment, CDATA or ``\\r``.  A run in
any other shape — or one with a value that does not convert — gives ``None`` and
``xlsx_stream`` parses it with expat instead, which also reports broken XML.  The
grammar accepts only well-formed XML fragments, so nothing expat would reject is read
here.
Values come out exactly as the expat reader gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chiso.ingest.cells import number_text
from chiso.ingest.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_SHEET_ROWS
from chiso.ingest.pieces import Piece

__all__ = ["Rows", "Run", "read_run", "read_strings"]

Rows = list[tuple[int, list[str | None]]]

# Characters XML 1.0 forbids, plus "\r" (expat turns "\r\n" into "\n") — RE2 syntax.
_BAD = r"\x00-\x08\x0b\x0c\x0e-\x1f\r\x{FFFE}\x{FFFF}"
_REF = r"&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});"
_TEXT = rf"(?:[^<&{_BAD}]|{_REF})*"
_ROW_HEAD = (  # a row's start tag after "<row " and before its ">"
    r'^r="(?P<n>[0-9]{1,9})"(?P<attrs>(?: [A-Za-z][A-Za-z0-9_:.\-]*="[^"<&' + _BAD + r']*")*)'
    r"(?P<end>/?)$"
)
_CELL = (  # a cell after "<c "
    r'^r="[A-Z]{1,3}[0-9]{1,9}"(?: s="[0-9]{1,9}")?(?: t="[A-Za-z]*")?'
    r'(?: cm="[0-9]{1,9}")?(?: vm="[0-9]{1,9}")?(?: ph="(?:0|1|true|false)")?'
    rf"(?:/>|>(?:<f>{_TEXT}</f>)?"
    rf'(?:<v>{_TEXT}</v>|<is><t(?: xml:space="preserve")?>{_TEXT}</t></is>)?'
    r"</c>)$"
)
# The value of a cell known to match _CELL, after its start tag: the text between a
# known prefix and suffix, or (after a formula) of the first element that closes as
# </v> or </t> (formula text closes as </f>).
_VALUE_FORMS = (("<v>", "</v></c>"), ("<is><t>", "</t></is></c>"),
                ('<is><t xml:space="preserve">', "</t></is></c>"))  # fmt: skip
# A shared string after "<si>", and its text (rich text and phonetic runs: expat).
_STRING = rf'^<t(?: xml:space="preserve")?>{_TEXT}</t></si>$'
_STRING_FORMS = (("<t>", "</t></si>"), ('<t xml:space="preserve">', "</t></si>"))
_AFTER_FORMULA = r">(?P<v>[^<]*)</[vt]>"
_PY_TYPE = re.compile(r' t="([A-Za-z]*)"')
_TEXT_TYPES = ["inlineStr", "str", "e", "d"]
_PY_REF = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ATTR_NAME = re.compile(r' ([^=]+)="')


class _NotPlainError(Exception):
    """The run is not in the shape read here (expat reads it)."""


@dataclass(frozen=True)
class Run:
    """The rows of a run: each valued cell's row (index into ``numbers``), column and text."""

    numbers: np.ndarray  # int64 row numbers, one per row
    parents: np.ndarray  # int64 row index of each valued cell, in row then column order
    columns: np.ndarray  # int64 zero-based column of each valued cell
    values: pa.Array  # the text of each valued cell

    def rows(self) -> Rows:
        """``(row number, cells)`` with ``None`` where a cell is missing (each row as wide
        as its last value)."""
        widths = np.zeros(len(self.numbers), dtype=np.int64)
        if len(self.parents):
            np.maximum.at(widths, self.parents, self.columns + 1)
        ends = np.cumsum(widths)
        slots = np.full(int(ends[-1]) if len(ends) else 0, -1, dtype=np.int64)
        slots[ends[self.parents] - widths[self.parents] + self.columns] = np.arange(
            len(self.parents)
        )
        flat = self.values.take(pa.array(slots, mask=slots < 0)).to_pylist()
        bounds = [0, *ends.tolist()]
        return [(n, flat[bounds[i] : bounds[i + 1]]) for i, n in enumerate(self.numbers.tolist())]

    def piece(self, first: int = 0) -> Piece:
        """The rows numbered ``first`` or more as a piece: one text array per column, as
        wide as the widest row, null where a row has no value (as ``pieces_of_rows``
        transposes :meth:`rows`)."""
        skip = int(np.searchsorted(self.numbers, first))
        count = len(self.numbers) - skip
        keep = self.parents >= skip
        parents, columns = self.parents[keep] - skip, self.columns[keep]
        cells = np.flatnonzero(keep)
        width = int(columns.max()) + 1 if len(columns) else 0
        slots = np.full(count * width, -1, dtype=np.int64)
        slots[parents * width + columns] = cells
        arrays = []
        for column in range(width):
            chosen = slots[column::width]
            arrays.append(self.values.take(pa.array(chosen, mask=chosen < 0)))
        return Piece(self.numbers[skip:].astype(np.int64), arrays)


def read_run(run: bytes, strings: Sequence[str], shared: Callable[[], pa.Array]) -> Run | None:
    """The rows in ``run``, or ``None`` (see the module).

    Args:
        run: whole ``<row>`` elements, starting with ``<row `` (UTF-8).
        strings: the shared strings.
        shared: the shared strings as an Arrow array (built on first use).
    """
    if b"]]>" in run:  # not allowed in XML text; let expat say so
        return None
    try:
        return _rows(_utf8(run), strings, shared)
    except (pa.ArrowInvalid, _NotPlainError, ValueError, IndexError):  # invalid UTF-8 too
        return None


def read_strings(body: bytes) -> list[str] | None:
    """The shared strings of ``body`` (what ``<sst …>`` holds), or ``None`` unless every
    ``<si>`` is a plain ``<si><t>…</t></si>`` (then expat reads them)."""
    try:
        pieces = pc.split_pattern(_utf8(body), "<si>").flatten()
        _require(pieces[0].as_py() == "")
        items = pieces[1:]
        _require(pc.all(pc.match_substring_regex(items, _STRING)).as_py() is not False)
        strings: list[str] = _unescaped(_between(items, _STRING_FORMS)).to_pylist()
        return strings
    except (pa.ArrowInvalid, _NotPlainError):
        return None


def _utf8(data: bytes) -> pa.Array:
    return pa.array([data], pa.binary()).cast(pa.string())  # ArrowInvalid: not UTF-8


def _rows(text: pa.Array, strings: Sequence[str], shared: Callable[[], pa.Array]) -> Run:
    numbers, bodies = _split_rows(text)
    lists = pc.split_pattern(bodies, "<c ")  # "", then one piece per cell
    starts = np.asarray(lists.offsets)[:-1]
    flat = lists.flatten()
    _require(not pc.any(pc.not_equal(flat.take(pa.array(starts)), "")).as_py())
    is_cell = np.ones(len(flat), dtype=bool)
    is_cell[starts] = False
    cells = flat.filter(pa.array(is_cell))
    _require(pc.all(pc.match_substring_regex(cells, _CELL)).as_py() is not False)
    tag = pc.split_pattern(cells, '"', max_splits=2)  # r=, reference, the rest
    attrs_rest = pc.split_pattern(pc.list_element(tag, 2), ">", max_splits=1)
    raw = _values(pc.list_element(attrs_rest, 1))
    valued = pc.fill_null(pc.not_equal(raw, ""), False)
    longest = pc.max(pc.binary_length(raw)).as_py()
    _require(longest is None or longest <= MAX_CELL_CHARS)  # over the limits: expat refuses
    types = _each_distinct(pc.list_element(attrs_rest, 0).filter(valued), None, _cell_type)
    values = _texts(raw.filter(valued), types, strings, shared)
    letters = pc.utf8_rtrim(pc.list_element(tag, 1).filter(valued), characters="0123456789")
    parents = np.asarray(pc.list_parent_indices(lists))[is_cell]
    keep = valued.to_numpy(zero_copy_only=False)
    return _checked(numbers, parents[keep], _columns(letters), values)


def _split_rows(text: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Row numbers, and what each row holds between its start and end tags."""
    pieces = pc.split_pattern(text, "<row ").flatten()
    _require(pieces[0].as_py() == "")
    halves = pc.split_pattern(pieces[1:], ">", max_splits=1)  # start tag, rest
    _require(pc.all(pc.equal(pc.list_value_length(halves), 2)).as_py() is not False)
    heads = _fields(pc.list_element(halves, 0), _ROW_HEAD)
    _require(all(_attrs_ok(a) for a in pc.unique(heads.field("attrs")).to_pylist()))
    rest = pc.list_element(halves, 1)
    closed = pc.equal(heads.field("end"), "/")
    ends = pc.if_else(closed, pc.equal(rest, ""), pc.ends_with(rest, "</row>"))
    _require(pc.all(ends).as_py() is not False)
    numbers = pc.cast(heads.field("n"), pa.int64()).to_numpy()
    _require(not len(numbers) or int(numbers.max()) <= MAX_SHEET_ROWS)
    return numbers, pc.utf8_slice_codeunits(rest, 0, -len("</row>"))


def _require(condition: bool) -> None:
    if not condition:
        raise _NotPlainError


def _fields(pieces: pa.Array, pattern: str, *, complete: bool = True) -> pa.StructArray:
    """The named groups of ``pattern`` in each piece (``complete``: every piece matches)."""
    found = pc.extract_regex(pieces, pattern=pattern)
    _require(not complete or found.null_count == 0)
    return found


def _attrs_ok(attrs: str) -> bool:
    """Extra row attributes: each name once, and not ``r`` again."""
    names = _ATTR_NAME.findall(attrs)
    return "r" not in names and len(set(names)) == len(names)


def _texts(
    raw: pa.Array, types: pa.Array, strings: Sequence[str], shared: Callable[[], pa.Array]
) -> pa.Array:
    """Cell values as text, by cell type (as ``xlsx_stream`` converts them)."""
    raw = _unescaped(raw)
    out = raw
    is_bool = pc.equal(types, "b")
    if pc.any(is_bool).as_py():
        out = pc.if_else(is_bool, pc.if_else(pc.equal(raw, "1"), "true", "false"), out)
    is_shared = pc.equal(types, "s")
    if pc.any(is_shared).as_py():
        indices = raw.filter(is_shared)
        _require(pc.all(pc.match_substring_regex(indices, r"^[0-9]{1,10}$")).as_py())
        numbers = pc.cast(indices, pa.int64())
        _require(pc.max(numbers).as_py() < len(strings))
        out = pc.replace_with_mask(out, is_shared, shared().take(numbers))
    is_number = pc.invert(
        pc.or_(pc.or_(is_bool, is_shared), pc.is_in(types, pa.array(_TEXT_TYPES)))
    )
    if pc.any(is_number).as_py():
        out = _each_distinct(out, is_number, number_text)
    return out


def _each_distinct(
    values: pa.Array, mask: pa.Array | None, convert: Callable[[str], str]
) -> pa.Array:
    """``values`` with ``convert`` applied where ``mask`` holds (everywhere: ``None``),
    once per distinct value."""
    chosen = values if mask is None else values.filter(mask)
    encoded = pc.dictionary_encode(chosen)
    converted = pa.array([convert(v) for v in encoded.dictionary.to_pylist()], pa.string())
    result = converted.take(encoded.indices)
    return result if mask is None else pc.replace_with_mask(values, mask, result)


def _unescaped(raw: pa.Array) -> pa.Array:
    """Entity and character references replaced by their characters."""
    escaped = pc.match_substring(raw, "&")
    return _each_distinct(raw, escaped, _unescape) if pc.any(escaped).as_py() else raw


def _between(pieces: pa.Array, forms: Sequence[tuple[str, str]]) -> pa.Array:
    """The text between the prefix and suffix of the first form each piece has (or null);
    one slice when every piece has the same form (a run of inline strings, say)."""
    masks = []
    for prefix, suffix in forms:
        form = pc.and_(pc.starts_with(pieces, prefix), pc.ends_with(pieces, suffix))
        if len(pieces) and pc.all(form).as_py():
            return pc.utf8_slice_codeunits(pieces, len(prefix), -len(suffix))
        masks.append(form)
    raw = pa.nulls(len(pieces), pa.string())
    for (prefix, suffix), form in reversed(list(zip(forms, masks, strict=True))):
        raw = pc.if_else(form, pc.utf8_slice_codeunits(pieces, len(prefix), -len(suffix)), raw)
    return raw


def _values(rest: pa.Array) -> pa.Array:
    """The value text of each cell from what follows its start tag (null: no value)."""
    raw = _between(rest, _VALUE_FORMS)
    formula = pc.starts_with(rest, "<f>")
    if pc.any(formula).as_py():
        after = _fields(rest.filter(formula), _AFTER_FORMULA, complete=False).field("v")
        raw = pc.replace_with_mask(raw, formula, after)
    return raw


def _cell_type(attrs: str) -> str:
    found = _PY_TYPE.search(attrs)
    return found.group(1) if found else "n"


def _unescape(text: str) -> str:
    return _PY_REF.sub(_reference, text)


def _reference(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _NAMED:
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    _require(
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )  # a character XML allows
    return chr(code)


def _columns(letters: pa.Array) -> np.ndarray:
    """Zero-based column of each cell from its reference letters."""
    encoded = pc.dictionary_encode(letters)
    index = np.array([_column_number(s) for s in encoded.dictionary.to_pylist()], dtype=np.int64)
    return index[np.asarray(encoded.indices)] if len(index) else np.zeros(0, dtype=np.int64)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


def _checked(
    numbers: np.ndarray, parents: np.ndarray, columns: np.ndarray, values: pa.Array
) -> Run:
    """The run, once its cells come in column order within a row (the expat reader
    appends a cell that comes back to an earlier column at the end; that rare case is
    left to it) and within the column limit."""
    same_row = parents[1:] == parents[:-1]
    _require(not np.any(same_row & (columns[1:] <= columns[:-1])))
    _require(not len(columns) or int(columns.max()) < MAX_COLUMNS)
    _require(not len(numbers) or bool(np.all(numbers[1:] > numbers[:-1])))
    return Run(numbers.astype(np.int64), parents.astype(np.int64), columns, values)
