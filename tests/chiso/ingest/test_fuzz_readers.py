"""Fuzzing every reader (issue #14): whatever the bytes, a reader gives rows or a UserError —
no other exception, no crash — and a rejected import leaves the data folder byte-identical.

Settings come from ``tests/fuzzing.py`` (``FUZZ_PROFILE=ci`` in CI, ``nightly`` for
``make fuzz``).
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import xlwt
from hypothesis import given
from hypothesis import strategies as st

from chiso.errors import UserError
from chiso.ingest.importer import import_files
from chiso.ingest.scores.document import read_document
from chiso.ingest.sources import open_rows
from chiso.portal.reader import read_response
from crafted import ods, ods_cell, xlsx
from exports import write_csv
from fuzzing import FUZZ, tally

pytestmark = pytest.mark.fuzz


def _read(target: str, suffix: str, data: bytes, read: Callable[[Path], Any]) -> None:
    """Write ``data`` to a file and read it: rows, or a UserError; anything else fails."""
    with tempfile.TemporaryDirectory(prefix="chiso-fuzz-") as tmp:
        path = Path(tmp) / f"tep{suffix}"
        path.write_bytes(data)
        try:
            read(path)
        except UserError as err:
            assert (err.message and err.hint is not None) or err.message
            tally(target, "refused")
        else:
            tally(target, "ok")


def _rows(path: Path) -> None:
    for _ in open_rows(path).rows:
        pass


def _mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """``seed`` with a few bytes replaced, cut short, or with bytes inserted."""

    def mutate(edits: list[tuple[int, int, bytes]]) -> bytes:
        data = bytearray(seed)
        for kind, at, more in edits:
            at %= max(len(data), 1)
            if kind == 0:
                data[at : at + len(more)] = more
            elif kind == 1:
                del data[at:]
            else:
                data[at:at] = more
        return bytes(data)

    edit = st.tuples(st.integers(0, 2), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=8))
    return st.lists(edit, min_size=1, max_size=4).map(mutate)


# --- seeds: small valid files of each format -------------------------------------------------


def _seed_xlsx() -> bytes:
    tmp = Path(tempfile.mkdtemp(prefix="chiso-seed-"))
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Đơn vị</t>'
        '</is></c></row><row r="2"><c r="A2"><v>12.5</v></c><c r="B2" t="b"><v>1</v></c></row>'
    )
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>M\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1</t></si></sst>"
    )
    return xlsx(tmp / "seed.xlsx", rows, strings=strings).read_bytes()


def _seed_xls() -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for r, row in enumerate([["Mã hồ sơ", "Số"], ["HS-1", 1.5], ["HS-2", 2]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _seed_ods() -> bytes:
    tmp = Path(tempfile.mkdtemp(prefix="chiso-seed-"))
    table = f"<table:table-row>{ods_cell('Mã hồ sơ')}{ods_cell('1')}</table:table-row>"
    return ods(tmp / "seed.ods", table).read_bytes()


def _seed_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả chỉ số tháng 10/2026")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["STT", "Đơn vị", "Điểm"], ["1", "Xã Sín Thầu", "85,5"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SEEDS = {".xlsx": _seed_xlsx(), ".xls": _seed_xls(), ".ods": _seed_ods(), ".docx": _seed_docx()}


# --- the readers ----------------------------------------------------------------------------

_CSV_TEXT = st.text(alphabet=st.sampled_from(list('ab,;\t"\n\r Đơ1.\x00')), max_size=400)


@FUZZ
@given(st.one_of(_CSV_TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=400)))
def test_fuzz_csv(data: bytes) -> None:
    _read("csv", ".csv", data, _rows)


@FUZZ
@given(_mutated(SEEDS[".xlsx"]))
def test_fuzz_xlsx_bytes(data: bytes) -> None:
    _read("xlsx", ".xlsx", data, _rows)


_REF = st.from_regex(r"[A-Z]{1,4}[0-9]{1,8}", fullmatch=True)
_CELL = st.builds(
    lambda ref, kind, value: f'<c r="{ref}"{kind}><v>{value}</v></c>',
    st.one_of(_REF, st.just("A1")),
    st.sampled_from(["", ' t="s"', ' t="b"', ' t="str"', ' t="n"', ' t="x"']),
    st.one_of(st.integers(-5, 5), st.text(alphabet="0123456789.eE-<&;a", max_size=12)),
)
_ROW = st.builds(
    lambda r, cells: f'<row r="{r}">{"".join(cells)}</row>',
    st.one_of(st.integers(0, 2_000_000), st.text(alphabet="0123456789a-", max_size=10)),
    st.lists(_CELL, max_size=4),
)


@FUZZ
@given(st.lists(_ROW, max_size=6))
def test_fuzz_xlsx_sheets(rows: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="chiso-fuzz-") as tmp:
        path = xlsx(Path(tmp) / "sheet.xlsx", "".join(rows), level=1)
        _read("xlsx-sheet", ".xlsx", path.read_bytes(), _rows)


@FUZZ
@given(_mutated(SEEDS[".xls"]))
def test_fuzz_xls(data: bytes) -> None:
    _read("xls", ".xls", data, _rows)


_ODS_ROW = st.builds(
    lambda repeat, cells: (
        f'<table:table-row table:number-rows-repeated="{repeat}">{"".join(cells)}'
        "</table:table-row>"
    ),
    st.one_of(st.integers(1, 3_000_000), st.just("x")),
    st.lists(st.builds(ods_cell, st.text("ab<&1", max_size=4), repeat=st.integers(1, 5_000)),
             max_size=3),
)  # fmt: skip


@FUZZ
@given(st.one_of(_mutated(SEEDS[".ods"]), st.lists(_ODS_ROW, max_size=4)))
def test_fuzz_ods(case: bytes | list[str]) -> None:
    if isinstance(case, bytes):
        _read("ods", ".ods", case, _rows)
        return
    with tempfile.TemporaryDirectory(prefix="chiso-fuzz-") as tmp:
        path = ods(Path(tmp) / "table.ods", "".join(case))
        _read("ods", ".ods", path.read_bytes(), _rows)


@FUZZ
@given(_mutated(SEEDS[".docx"]))
def test_fuzz_docx(data: bytes) -> None:
    _read("docx", ".docx", data, read_document)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _json_text(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


@FUZZ
@given(
    st.one_of(
        _JSON.map(lambda v: {"code": "OK", "data": v}).map(_json_text),
        _JSON.map(lambda v: {"url": "https://x/api", "payload": v, "response": v}).map(_json_text),
        st.text(alphabet='[]{}":,0123456789.eE-\\ud800 NaN', max_size=200).map(str.encode),
    )
)
def test_fuzz_portal_capture(data: bytes) -> None:
    _read("json-capture", ".json", data, read_response)


# --- a rejected import writes nothing -------------------------------------------------------


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@FUZZ
@given(data=st.data())
def test_fuzz_a_rejected_import_leaves_the_folder_byte_identical(
    data: st.DataObject, store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    seed = write_csv(tmp_path / "seed.csv", export_rows[:20]).read_bytes()
    suffix = data.draw(st.sampled_from([".csv", ".xlsx"]))
    if suffix == ".xlsx":
        seed = SEEDS[".xlsx"]
    file = tmp_path / f"import{suffix}"
    file.write_bytes(data.draw(_mutated(seed)))
    before = _digest(store)
    try:
        import_files("dossiers", [file], str(store))
    except UserError:
        after = _digest(store)
        tally("import", "refused" if after == before else "partial-write")
        assert after == before
    else:
        tally("import", "ok")


def test_the_seeds_are_valid(tmp_path: Path) -> None:
    """The fuzzers start from files each reader accepts."""
    for suffix in (".xlsx", ".xls", ".ods"):
        path = tmp_path / f"seed{suffix}"
        path.write_bytes(SEEDS[suffix])
        assert len(list(open_rows(path).rows)) >= 1
    path = tmp_path / "seed.docx"
    path.write_bytes(SEEDS[".docx"])
    assert read_document(path).tables
    assert zipfile.is_zipfile(io.BytesIO(SEEDS[".xlsx"]))
