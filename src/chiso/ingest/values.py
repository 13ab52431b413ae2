"""Vectorised parsing of export cells: dates, Vietnamese numbers, yes/no and choices.

Every parser takes a pyarrow array of text (already NFC, stripped, empty → null) and
returns the parsed array plus a mask of the cells it could not read, so that the
caller can report each bad cell with its row.  Nothing here raises on bad data.

Accepted forms:

* timestamps: ``dd/mm/yyyy``, ``dd/mm/yyyy hh:mm[:ss]`` (also ``-`` or ``.`` as date
  separator, ``h`` as time separator), ``hh:mm dd/mm/yyyy``, ISO 8601
  ``yyyy-mm-dd[ hh:mm[:ss]]`` and Excel serial day numbers (``46023`` or ``46023,5``);
  impossible dates such as 31/02 are rejected, not rolled over;
* numbers: Vietnamese ``1.229.100`` and ``98,32`` and plain ``1229100`` / ``98.32``;
* booleans and choices: through a value map (see ``ingest/profiles.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chiso.domain.unit_names import fold_diacritics

__all__ = ["choice_key", "parse_choice", "parse_numbers", "parse_timestamps"]

# dd/mm/yyyy [hh:mm[:ss]]: "05/03/2026 08:05", "5-3-2026 8h05"
_VN_DATE = r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"
_TIME = r"(?P<H>\d{1,2})[:hg](?P<M>\d{1,2})(?:[:'](?P<S>\d{1,2}))?"
_PATTERNS = (
    rf"^{_VN_DATE}(?:[ T,]+{_TIME})?$",
    rf"^{_TIME}[ ,]+(?:ngày )?{_VN_DATE}$",
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$",
)
_FIELDS = ("y", "m", "d", "H", "M", "S")
# Excel serial days: 1954-10-04 (20000) .. 2119-01-10 (80000); 1899-12-30 is day 0.
_SERIAL = r"^\d{5}(?:[.,]\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


# Fixed-width forms: a template of ASCII digits (letters: the field they belong to) and
# separators.  A cell of one of these forms matches exactly one of _PATTERNS, with these
# fields, so its components are read from its bytes by position instead.
_TEMPLATES = (
    "dd/mm/yyyy HH:MM",
    "dd/mm/yyyy",
    "dd/mm/yyyy HH:MM:SS",
    "yyyy-mm-dd HH:MM:SS",
    "yyyy-mm-dd",
)


def _fixed_components(
    text: pa.Array, out: dict[str, np.ndarray], found: np.ndarray, absent: np.ndarray
) -> None:
    """Fill ``out`` for the cells of a fixed-width form (marking them in ``found``)."""
    _, offsets_buffer, data_buffer = text.buffers()
    if data_buffer is None:
        return
    offsets = np.frombuffer(offsets_buffer, np.int32, len(text) + 1, text.offset * 4)
    data = np.frombuffer(data_buffer, np.uint8)
    lengths = np.diff(offsets)
    for template in _TEMPLATES:
        width = len(template)
        rows = np.flatnonzero((lengths == width) & ~found & ~absent)
        if not len(rows):
            continue
        if len(rows) == len(text):  # every cell of this width: their bytes are one run
            cells = data[offsets[0] : offsets[0] + width * len(rows)].reshape(-1, width)
        else:
            cells = data[offsets[rows][:, None] + np.arange(width)]
        # each byte a digit where the template has a letter, else its separator, in one
        # step: the byte minus the lowest allowed value (wrapping) is at most the span
        low = np.array([ord("0") if c.isalpha() else ord(c) for c in template], np.uint8)
        span = np.array([9 if c.isalpha() else 0 for c in template], np.uint8)
        fits = ((cells - low) <= span).all(axis=1)
        if not fits.all():
            rows, cells = rows[fits], cells[fits]
        for name in _FIELDS:
            places = [j for j, char in enumerate(template) if char == name]
            if places:
                value = np.zeros(len(rows), dtype=np.int64)
                for j in places:
                    value = value * 10 + cells[:, j] - ord("0")
                out[name][rows] = value
        found[rows] = True


def _components(text: pa.Array) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Year..second as float arrays (NaN where no pattern matched), and where one did."""
    n = len(text)
    out = {f: np.full(n, np.nan) for f in _FIELDS}
    found = np.zeros(n, dtype=bool)
    absent = np.asarray(text.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    _fixed_components(text, out, found, absent)
    for pattern in _PATTERNS:
        if (found | absent).all():
            break
        groups = re.compile(pattern).groupindex
        struct = pc.extract_regex(text, pattern=pattern)
        matched = np.asarray(struct.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        take = matched & ~found
        if not take.any():
            continue
        for name in _FIELDS:
            if name not in groups:
                continue
            field = pc.struct_field(struct, name)
            values = pc.cast(pc.if_else(pc.equal(field, ""), None, field), pa.float64())
            arr = values.to_numpy(zero_copy_only=False)
            out[name] = np.where(take, arr, out[name])
        found |= take
    for name in ("H", "M", "S"):
        out[name] = np.where(found & np.isnan(out[name]), 0.0, out[name])
    return out, found


def _valid_components(c: dict[str, np.ndarray]) -> np.ndarray:
    y, m, d = c["y"], c["m"], c["d"]
    ok = ~np.isnan(y) & (y >= 1900) & (y <= 2200) & (m >= 1) & (m <= 12) & (d >= 1)
    month_index = np.where(ok, m, 1).astype(int) - 1
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    limit = _DAYS_IN_MONTH[month_index] + ((month_index == 1) & leap)
    ok &= d <= limit
    ok &= (c["H"] <= 23) & (c["M"] <= 59) & (c["S"] <= 59)
    return np.asarray(ok, dtype=bool)


def _to_datetime64(c: dict[str, np.ndarray], ok: np.ndarray) -> np.ndarray:
    y = np.where(ok, c["y"], 1970).astype(int)
    m = np.where(ok, c["m"], 1).astype(int)
    d = np.where(ok, c["d"], 1).astype(int)
    months = (y - 1970) * 12 + (m - 1)
    day = months.astype("datetime64[M]").astype("datetime64[D]") + (d - 1)
    seconds = (
        np.where(ok, c["H"], 0) * 3600 + np.where(ok, c["M"], 0) * 60 + np.where(ok, c["S"], 0)
    ).astype(np.int64)
    stamps: np.ndarray = day.astype("datetime64[us]") + seconds.astype("timedelta64[s]")
    return stamps


def _fits(cells: np.ndarray, template: str) -> bool:
    """Whether every row of the byte matrix ``cells`` has the form of ``template``."""
    low = np.array([ord("0") if c.isalpha() else ord(c) for c in template], np.uint8)
    span = np.array([9 if c.isalpha() else 0 for c in template], np.uint8)
    return bool(((cells - low) <= span).all())


def _one_form(text: pa.Array, present: np.ndarray) -> pa.Array | None:
    """The timestamps of a column whose every cell is a valid date of one fixed-width form
    (the usual export column), computed in integers from one view of its bytes; None
    when any cell is not (the general path then reads the column)."""
    _, offsets_buffer, data_buffer = text.buffers()
    if data_buffer is None or not present.any():
        return None
    offsets = np.frombuffer(offsets_buffer, np.int32, len(text) + 1, text.offset * 4)
    lengths = np.diff(offsets)
    if lengths[~present].any():  # an absent cell spanning bytes: not one run of cells
        return None
    width = int(lengths[present][0])
    if not (lengths[present] == width).all():
        return None
    cells = np.frombuffer(data_buffer, np.uint8)[offsets[0] : offsets[-1]].reshape(-1, width)
    template = next((t for t in _TEMPLATES if len(t) == width and _fits(cells, t)), None)
    if template is None:
        return None
    field: dict[str, np.ndarray] = {}
    for name in _FIELDS:
        value = np.zeros(len(cells), dtype=np.int64)
        for j in (j for j, char in enumerate(template) if char == name):
            value = value * 10 + (cells[:, j] - ord("0"))
        field[name] = value
    y, m, d = field["y"], field["m"], field["d"]
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month = np.clip(m, 1, 12) - 1
    limit = _DAYS_IN_MONTH[month] + ((month == 1) & leap)
    ok = (y >= 1900) & (y <= 2200) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= limit)
    ok &= (field["H"] <= 23) & (field["M"] <= 59) & (field["S"] <= 59)
    if not ok.all():
        return None
    # days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    days = era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468
    seconds = days * 86_400 + field["H"] * 3600 + field["M"] * 60 + field["S"]
    micros = np.zeros(len(text), dtype=np.int64)
    micros[present] = seconds * 1_000_000
    return pa.array(micros, type=pa.timestamp("us"), mask=~present)


def parse_timestamps(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Parse dates and date-times; return ``(timestamp[us] array, bad mask)``."""
    text = _as_text(text)
    present = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    quick = _one_form(text, present)
    if quick is not None:
        return quick, np.zeros(len(text), dtype=bool)
    parts, found = _components(text)
    ok = _valid_components(parts)
    stamps = _to_datetime64(parts, ok)
    # a date form has separators where a serial day number has digits: only the cells of
    # no date form can be serial numbers (none, in the usual export)
    serial_mask = np.zeros(len(text), dtype=bool)
    if (present & ~found).any():
        serial_mask = np.asarray(
            pc.fill_null(pc.match_substring_regex(text, _SERIAL), False).to_numpy(
                zero_copy_only=False
            ),
            dtype=bool,
        )
    if serial_mask.any():
        serial_text = pc.replace_substring(pc.if_else(pa.array(serial_mask), text, None), ",", ".")
        days = pc.cast(serial_text, pa.float64()).to_numpy(zero_copy_only=False)
        micros = np.round(np.nan_to_num(days) * 86_400) * 1_000_000
        serial = _EXCEL_EPOCH + micros.astype(np.int64).astype("timedelta64[us]")
        stamps = np.where(serial_mask, serial, stamps)
        ok = ok | serial_mask
    bad = present & ~ok
    result = pa.array(stamps, type=pa.timestamp("us"), mask=~(present & ok))
    return result, bad


_VN_THOUSANDS = r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"
_DECIMAL_COMMA = r"^-?\d+,\d+$"
_PLAIN = r"^-?\d+(?:\.\d+)?$"


def parse_numbers(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Parse Vietnamese or plain numbers; return ``(float64 array, bad mask)``.

    A dot followed by groups of exactly three digits is a thousands separator
    ("1.229.100"); a comma is the decimal mark ("98,32").  A lone dot with other than
    three digits after it is a decimal point ("98.5"), as spreadsheets write them.
    A column of few distinct values (fees, counts) is parsed once per distinct value.
    """
    text = _as_text(text)
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) * _DISTINCT_RATIO >= len(text):
        return _parse_numbers(text)
    values, bad = _parse_numbers(encoded.dictionary)
    indices = encoded.indices
    taken_bad = pc.take(pa.array(bad, pa.bool_()), indices)
    return pc.take(values, indices), np.asarray(
        pc.fill_null(taken_bad, False).to_numpy(zero_copy_only=False), dtype=bool
    )


#: Parse per distinct value when the values repeat at least this many times on average.
_DISTINCT_RATIO = 4


def _parse_numbers(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    text = pc.replace_substring_regex(text, pattern="[\\s\u00a0đ₫]|VNĐ|VND", replacement="")
    text = pc.if_else(pc.equal(text, ""), None, text)
    present = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    thousands = pc.fill_null(pc.match_substring_regex(text, _VN_THOUSANDS), False)
    comma = pc.fill_null(pc.match_substring_regex(text, _DECIMAL_COMMA), False)
    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN), False)
    normalised = pc.if_else(
        thousands,
        pc.replace_substring(pc.replace_substring(text, ".", ""), ",", "."),
        pc.if_else(comma, pc.replace_substring(text, ",", "."), text),
    )
    ok = np.asarray(pc.or_(pc.or_(thousands, comma), plain).to_numpy(zero_copy_only=False))
    kept = pc.if_else(pa.array(ok), normalised, None)
    return pc.cast(kept, pa.float64()), present & ~ok


def choice_key(value: str) -> str:
    """The comparison key of a choice label: casefolded, no diacritics, single spaces.

    Examples:
        >>> choice_key("  Trực  tuyến ")
        'truc tuyen'
    """
    return " ".join(fold_diacritics(value.casefold()).split())


def parse_choice(
    text: pa.Array, mapping: Mapping[str, Any], *, arrow_type: pa.DataType | None = None
) -> tuple[pa.Array, np.ndarray]:
    """Map labels to canonical values through ``mapping`` (keys are :func:`choice_key` s).

    Only the distinct labels are looked up, so a million rows cost a few dozen lookups.
    """
    text = _as_text(text)
    present = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    encoded = pc.dictionary_encode(text)
    labels = encoded.dictionary.to_pylist()
    mapped = [mapping.get(choice_key(label), _MISSING) for label in labels]
    known = np.array([m is not _MISSING for m in mapped] + [True], dtype=bool)
    values = pa.array(
        [None if m is _MISSING else m for m in mapped],
        type=arrow_type if arrow_type is not None else pa.string(),
    )
    indices = encoded.indices
    result = pc.take(values, indices)
    index_np = indices.fill_null(len(labels)).to_numpy(zero_copy_only=False)
    bad = present & ~known[index_np]
    return result, bad


_MISSING = object()


def _as_text(values: pa.Array) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    return values
