"""Reading .xlsx sheets: every kind of cell, whichever reader (Arrow runs or expat) reads it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

from chiso.errors import UserError
from chiso.ingest import xlsx_stream
from chiso.ingest.sources import open_rows
from chiso.ingest.xlsx_runs import read_run, read_strings

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SHARED = (
    "<si><t>Mã hồ sơ</t></si>"
    "<si><r><t>UBND </t></r><r><rPr><b/></rPr><t>xã Mường Phăng</t></r></si>"
    "<si><t>A&amp;B</t></si>"
    '<si><t>Hà Nội</t><rPh sb="0" eb="1"><t>ha noi</t></rPh></si>'
)
STRINGS = ["Mã hồ sơ", "UBND xã Mường Phăng", "A&B", "Hà Nội"]
ROWS = (
    '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" s="2" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Sở Tư pháp &amp; &lt;Nội vụ&gt; &#7840;&#x1EA0;'
    '</t></is></c><c r="B2" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c>'
    '<c r="C2" t="str"><f>A2&amp;"!"</f><v>kết quả</v></c></row>'
    '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c>'
    '<c r="C3" t="e"><v>#N/A</v></c><c r="D3" s="1"><v>46023.5</v></c>'
    '<c r="E3" t="d"><v>2026-01-05T08:30:00</v></c></row>'
    '<row r="5"><c r="B5" s="3"/><c r="C5"><v>1229100</v></c><c r="E5"><v>1E-05</v></c>'
    '<c r="F5" t="inlineStr"><is><t></t></is></c><c r="G5"></c></row>'
    '<row r="6" spans="1:7" ht="20" customHeight="1"/>'
    '<row r="7"><c r="AA7"><v>-98.32</v></c></row>'
    '<row r="8"><c r="A8"><v>12345678901234567890</v></c><c r="B8" t="n"><v>007</v></c>'
    '<c r="C8"><f>1+1</f></c><c r="D8" t="str"><f>B8&gt;1</f><is><t>có</t></is></c></row>'
)
EXPECTED = [
    (1, STRINGS),
    (2, ["Sở Tư pháp & <Nội vụ> ẠẠ", " x ", "kết quả"]),
    (3, ["true", "false", "#N/A", "46023,5", "2026-01-05T08:30:00"]),
    (5, [None, None, "1229100", None, "1e-05"]),
    (6, []),
    (7, [*([None] * 26), "-98,32"]),
    (8, ["1,2345678901234567e+19", "7", None, "có"]),
]


def write_sheet(path: Path, rows: str, *, prefix: str = "", shared: str = SHARED) -> Path:
    """A one-sheet workbook whose sheet holds ``rows`` (tags written with ``prefix``)."""
    ns = f' xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f' xmlns="{MAIN}"'
    if prefix:
        rows = re.sub(r"<(/?)(?=[A-Za-z])", rf"<\1{prefix}", rows)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<{prefix}worksheet{ns}><{prefix}dimension ref="A1:AA8"/>'
        f"<{prefix}sheetData>{rows}</{prefix}sheetData></{prefix}worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            'Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
    return path


def pretty(rows: str) -> str:
    """The same rows with line breaks and indentation between elements."""
    return re.sub(r"(</c>|</row>|<c [^>]*/>|<row [^>]*/>)", r"\1\n  ", rows)


@pytest.mark.parametrize(
    ("shape", "prefix"), [(lambda r: r, ""), (pretty, ""), (lambda r: r, "x:")],
    ids=["usual", "indented", "prefixed"],
)  # fmt: skip
def test_every_kind_of_cell_reads_as_the_same_text_whatever_the_shape_of_the_xml(
    tmp_path: Path, shape, prefix: str
) -> None:
    path = write_sheet(tmp_path / "export.xlsx", shape(ROWS), prefix=prefix)
    assert list(open_rows(path).rows) == EXPECTED
    assert rows_of_pieces(path, 1) == EXPECTED
    assert rows_of_pieces(path, 4) == EXPECTED[3:]


def test_the_usual_shape_is_read_by_arrow_and_any_other_is_left_to_expat() -> None:
    def read(run: str) -> object:
        found = read_run(run.encode(), STRINGS, lambda: pa.array(STRINGS))
        return None if found is None else found.rows()

    assert read(ROWS) == EXPECTED
    assert read(pretty(ROWS)) is None
    assert read('<row r="1"><c r="A1"><v>&#1;</v></c></row>') is None  # not an XML character
    assert read('<row r="1" ht="2" ht="3"/>') is None  # an attribute twice
    assert read('<row r="1"><c r="A1" t="s"><v>9</v></c></row>') is None  # no such string
    assert read('<row r="1"><c r="A1"><v>1</v><!-- x --></c></row>') is None


def test_runs_in_another_shape_are_read_by_expat_in_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_stream, "_BLOCK", 300)
    monkeypatch.setattr(xlsx_stream, "_RUN", 1000)
    runs: list[bool] = []

    def counted(*args: object) -> object:
        rows = read_run(*args)  # type: ignore[arg-type]
        runs.append(rows is not None)
        return rows

    monkeypatch.setattr(xlsx_stream, "read_run", counted)
    parts, expected = [], []
    for n in range(1, 301):
        if n == 50:  # rich text
            parts.append('<row r="50"><c r="B50" t="inlineStr"><is><r><t>a</t></r><r><t>b</t>'
                         "</r></is></c></row>")  # fmt: skip
            expected.append((50, [None, "ab"]))
        elif n == 100:  # a cell that goes back to an earlier column is appended
            parts.append('<row r="100"><c r="C100"><v>3</v></c><c r="A100"><v>1</v></c></row>')
            expected.append((100, [None, None, "3", "1"]))
        elif n == 150:  # no reference: the next row, the next column
            parts.append(
                '<row><c r="B150"><v>2</v></c><c t="inlineStr"><is><t>z</t></is></c></row>'
            )
            expected.append((150, [None, "2", "z"]))
        else:
            parts.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>HS-{n}</t></is></c>'
                         f'<c r="C{n}"><v>{n}.5</v></c></row>')  # fmt: skip
            expected.append((n, [f"HS-{n}", None, f"{n},5"]))
        if n == 200:  # rows in a comment are no rows, even cut into runs of their own
            fake = "".join(
                f'<row r="{m}"><c r="A{m}"><v>{m}</v></c></row>' for m in range(900, 980)
            )
            parts.append(f"<!-- {fake} -->")
    path = write_sheet(tmp_path / "mixed.xlsx", "".join(parts))
    assert list(open_rows(path).rows) == expected
    assert True in runs and False in runs
    for first in (1, 2, 49, 50, 51, 151, 299, 300, 301):  # as the importer reads on
        assert rows_of_pieces(path, first) == [r for r in expected if r[0] >= first]


def rows_of_pieces(path: Path, first: int) -> list[tuple[int, list[str | None]]]:
    """The rows numbered ``first`` or more read as columns (``xlsx_pieces``), each row
    ending at its last value as ``iter_xlsx_rows`` gives it."""
    reader = open_rows(path).pieces
    assert reader is not None
    rows = []
    for piece in reader(first):
        columns = [c.to_pylist() for c in piece.columns]
        for i, number in enumerate(piece.rows.tolist()):
            cells = [c[i] for c in columns]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append((number, cells))
    return rows


def test_a_sheet_that_is_not_well_formed_xml_is_a_user_error_naming_the_file(
    tmp_path: Path,
) -> None:
    path = write_sheet(tmp_path / "broken.xlsx", '<row r="1"><c r="A1"><v>1</v></row>')
    with pytest.raises(UserError, match=r"broken\.xlsx: trang tính bị hỏng \(XML sai"):
        list(open_rows(path).rows)


def test_a_number_cell_holding_text_is_a_user_error_naming_row_and_column(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "bad.xlsx", '<row r="7"><c r="C7"><v>abc</v></c></row>')
    with pytest.raises(UserError, match=r"bad\.xlsx, dòng 7, cột C: “abc” không phải số"):
        list(open_rows(path).rows)


def test_plain_shared_strings_read_by_arrow_equal_what_expat_reads(tmp_path: Path) -> None:
    plain = (
        "<si><t>Mã hồ sơ</t></si><si><t>A&amp;B &#x1EA0;</t></si>"
        '<si><t xml:space="preserve"> x </t></si><si><t></t></si>'
    )
    assert read_strings(plain.encode()) == ["Mã hồ sơ", "A&B Ạ", " x ", ""]
    assert read_strings(SHARED.encode()) is None  # rich text and phonetic runs
    cells = "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCD"))
    for shared in (plain, plain + "<si><r><t>y</t></r></si>"):  # the second one: expat
        path = write_sheet(tmp_path / "strings.xlsx", f'<row r="1">{cells}</row>', shared=shared)
        assert list(open_rows(path).rows) == [(1, ["Mã hồ sơ", "A&B Ạ", " x ", ""])]


class Blocks:
    """A sheet part that reads in the given blocks (where runs are cut depends on them)."""

    def __init__(self, *blocks: str) -> None:
        self.blocks = [b.encode() for b in blocks]

    def read(self, _size: int = -1) -> bytes:
        return self.blocks.pop(0) if self.blocks else b""


def test_a_row_without_number_after_rows_read_by_arrow_continues_their_numbering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xlsx_stream, "_RUN", 1)  # cut before the last row of every block
    row = '<row r="{0}"><c r="A{0}"><v>{0}</v></c></row>'
    part = Blocks(
        f'<worksheet xmlns="{MAIN}"><sheetData>{row.format(1)}{row.format(2)}',
        '<row spans="1:1"><c><v>3</v></c></row>',  # the parser reads from here
        f"{row.format(4)}</sheetData></worksheet>",
    )
    sheet = xlsx_stream._SheetParser("export.xlsx", [])
    rows = list(xlsx_stream._sheet_rows(part, sheet))  # type: ignore[arg-type]
    assert rows == [(1, ["1"]), (2, ["2"]), (3, ["3"]), (4, ["4"])]
