"""Every reader is bounded (issue #14): tiny crafted files that would have taken gigabytes
are refused fast, in bounded memory, with a Vietnamese error naming the file and the limit."""

from __future__ import annotations

import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
import xlwt

from chiso.errors import UserError
from chiso.ingest import limits
from chiso.ingest.importer import import_files
from chiso.ingest.issues import ImportRejectedError
from chiso.ingest.scores.document import read_document
from chiso.ingest.sources import open_rows
from chiso.ingest.workbook_guard import check_workbook
from chiso.portal.reader import read_response
from crafted import HEADER_ROW, docx_with, ods, ods_cell, repeat, xlsx
from exports import HEADERS, write_csv

MB = 1 << 20


def _rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def refused(read: Callable[[], Any], *, seconds: float = 5.0, mb: int = 64) -> UserError:
    """Run ``read``: it must raise a UserError within ``seconds``, the Python heap growing
    less than ``mb`` and the process's peak resident size less than 4 × ``mb``."""
    rss = _rss_mb()
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(UserError) as caught:
            read()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < mb * MB, f"Python heap peaked at {peak // MB} MB"
    assert _rss_mb() - rss < 4 * mb, f"resident size grew by {_rss_mb() - rss} MB"
    return caught.value


def rows_of(path: Path) -> Callable[[], list[Any]]:
    return lambda: list(open_rows(path).rows)


def says(err: UserError, path: Path, *words: str) -> None:
    """Vietnamese, names the file and the limit, says how to fix it."""
    assert err.message.startswith(f"Không đọc được tệp {path}"), err.message
    assert "giới hạn" in err.message
    for word in words:
        assert word in err.message, err.message
    assert err.hint


# --- XLSX -----------------------------------------------------------------------------------


def test_one_cell_at_column_zzzzzz_is_refused_not_padded(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "far.xlsx", HEADER_ROW + '<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>')
    assert path.stat().st_size < 2_000
    says(refused(rows_of(path)), path, "ZZZZZZ2", "256 cột")


def test_a_run_of_rows_each_with_a_cell_at_column_zzz_is_refused(tmp_path: Path) -> None:
    """The fast (Arrow) path: 20,000 rows with a value in column ZZZ would be 365 million
    padded cells."""
    body = "".join(f'<row r="{r}"><c r="ZZZ{r}"><v>1</v></c></row>' for r in range(2, 20_002))
    path = xlsx(tmp_path / "zzz.xlsx", HEADER_ROW + body)
    says(refused(rows_of(path)), path, "ZZZ2", "256 cột")


def test_a_row_number_past_excel_s_last_row_is_refused(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "row.xlsx", HEADER_ROW + '<row r="99999999"><c r="A99999999"><v>1</v></c></row>'
    )
    says(refused(rows_of(path)), path, "1.048.576 dòng")


def test_a_cell_longer_than_excel_allows_is_refused_before_it_is_joined(tmp_path: Path) -> None:
    text = "x" * (limits.MAX_CELL_CHARS + 10)
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>'
    path = xlsx(tmp_path / "long.xlsx", HEADER_ROW + row)
    says(refused(rows_of(path)), path, "A2", "32.767 ký tự")


def test_a_gigabyte_of_shared_strings_in_a_small_file_is_refused_unread(tmp_path: Path) -> None:
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings = [head, *repeat(b"<si><t>" + b"a" * 1000 + b"</t></si>", 200 * MB), b"</sst>"]
    path = xlsx(tmp_path / "strings.xlsx", HEADER_ROW, strings=strings, level=1)
    assert path.stat().st_size < 3 * MB
    says(refused(rows_of(path)), path, "sharedStrings.xml")


def test_too_many_shared_strings_are_refused_while_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chiso.ingest.xlsx_stream.MAX_SHARED_STRINGS", 10)
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    rich = b"<si><r><t>a</t></r></si>"  # rich text: the expat reader
    path = xlsx(tmp_path / "many.xlsx", HEADER_ROW, strings=head + rich * 11 + b"</sst>")
    says(refused(rows_of(path)), path, "chuỗi")


def test_a_sheet_that_inflates_a_thousandfold_is_refused_unread(tmp_path: Path) -> None:
    """A sheet of bad rows zipped a thousandfold (a 1 GB one held 25 million issues)."""
    row = b'<row r="2"><c r="A2"><v>1</v></c></row>'
    path = xlsx(tmp_path / "bomb.xlsx", repeat(row, 300 * MB), level=9)
    assert path.stat().st_size < 2 * MB
    says(refused(rows_of(path)), path, "bom nén", "100 lần")


def test_a_broken_xlsx_is_a_user_error_not_a_traceback(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "ok.xlsx", HEADER_ROW)
    data = path.read_bytes().replace(b"xl/workbook.xml", b"xl/workbook.xmX")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(data)
    err = refused(rows_of(broken))
    assert err.message.startswith(f"Không đọc được tệp {broken}")


# --- XLS and ODS (python-calamine) ----------------------------------------------------------


def test_an_xls_with_one_value_in_its_last_cell_is_refused_before_calamine(tmp_path: Path) -> None:
    """calamine would allocate 65,536 × 256 cells (a gigabyte with the row lists)."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "Mã hồ sơ")
    sheet.write(65_535, 255, 1)
    path = tmp_path / "far.xls"
    book.save(str(path))
    says(refused(rows_of(path)), path, "4.000.000 ô")


def test_an_xls_declaring_a_backward_range_is_refused_before_calamine(tmp_path: Path) -> None:
    """The fuzz suite's crash: a DIMENSION record whose last row comes before its first
    made calamine reserve 269 GB and abort the process."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "Mã hồ sơ")
    sheet.write(1, 1, 2)
    path = tmp_path / "backward.xls"
    book.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.index(bytes.fromhex("00020e00"), 512)  # DIMENSION, 14 bytes (BIFF8)
    data[at + 4 : at + 18] = bytes.fromhex("0092a65f32686d28090002000000")
    path.write_bytes(bytes(data))
    with pytest.raises(UserError) as caught:
        check_workbook(path, hint="lưu lại tệp")
    assert "kích thước khai báo của trang tính không hợp lệ" in caught.value.message


def test_an_xls_with_styled_blanks_far_out_is_read(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "Mã hồ sơ")
    sheet.write(65_535, 255, "", xlwt.easyxf("font: bold on"))  # a blank: no value
    path = tmp_path / "blank.xls"
    book.save(str(path))
    assert list(open_rows(path).rows) == [(1, ["Mã hồ sơ"])]


def test_an_ods_with_a_value_repeated_over_a_hundred_million_cells_is_refused(
    tmp_path: Path,
) -> None:
    """calamine aborts the whole process on this one (an allocation failure in Rust)."""
    row = f'<table:table-row table:number-rows-repeated="100000">{ods_cell("x", repeat=1000)}'
    path = ods(tmp_path / "rep.ods", row + "</table:table-row>")
    says(refused(rows_of(path)), path, "100.000.000 ô")


def test_an_ods_with_empty_rows_repeated_to_the_sheet_end_is_read(tmp_path: Path) -> None:
    """LibreOffice writes that for every sheet: repeats of empty cells do not count."""
    empty = '<table:table-cell table:number-columns-repeated="16384"/>'
    table = (
        f"<table:table-row>{ods_cell('Mã hồ sơ')}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="1048575">{empty}</table:table-row>'
    )
    path = ods(tmp_path / "tail.ods", table)
    assert list(open_rows(path).rows) == [(1, ["Mã hồ sơ"])]


# --- CSV ------------------------------------------------------------------------------------


def test_a_csv_without_line_ends_is_refused_before_it_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    path.write_text("Mã hồ sơ," + "x" * (limits.MAX_CSV_LINE_CHARS + 1), encoding="utf-8")
    says(refused(rows_of(path)), path, "dòng 1", "ký tự mỗi dòng")


def test_a_csv_cell_past_the_field_limit_is_a_vietnamese_refusal(tmp_path: Path) -> None:
    path = tmp_path / "cell.csv"
    path.write_text('Mã hồ sơ\n"' + "x" * 200_000 + '"\n', encoding="utf-8")
    says(refused(rows_of(path)), path, "ký tự mỗi ô")


def test_a_csv_past_the_row_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chiso.ingest.sources.MAX_CSV_ROWS", 5)
    path = tmp_path / "rows.csv"
    path.write_text("Mã hồ sơ\n" + "x\n" * 10, encoding="utf-8")
    says(refused(rows_of(path)), path, "5 dòng")


def pieces_of(path: Path) -> Callable[[], list[Any]]:
    """The records after the header line as the importer reads them: Arrow's CSV reader."""
    source = open_rows(path)
    assert source.pieces is not None
    reader = source.pieces
    return lambda: list(reader(2))


def _wide_csv(path: Path, line: str) -> Path:
    """A regular 10-column export with ``line`` after 40 records."""
    header = ",".join(["Mã hồ sơ", *(f"Cột {i}" for i in range(9))])
    records = [",".join([f"HS-{i}", *("a" * 9)]) for i in range(40)]
    path.write_text("\n".join([header, *records, line, *records]) + "\n", encoding="utf-8")
    return path


def test_the_columnar_csv_reader_refuses_a_line_past_the_line_limit(tmp_path: Path) -> None:
    # every cell is under csv's field limit: only the line is too long (line 42)
    cells = ["x" * (limits.MAX_CSV_LINE_CHARS // 10 + 10)] * 10
    path = _wide_csv(tmp_path / "long-line.csv", ",".join(cells))
    says(refused(pieces_of(path)), path, "dòng 42", "ký tự mỗi dòng")


def test_the_columnar_csv_reader_refuses_a_cell_past_the_field_limit(tmp_path: Path) -> None:
    path = _wide_csv(tmp_path / "long-cell.csv", ",".join(["HS-x", "y" * 200_000, *"a" * 8]))
    says(refused(pieces_of(path)), path, "dòng 42", "ký tự mỗi ô")


def test_the_columnar_csv_reader_refuses_a_file_past_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chiso.ingest.sources.MAX_CSV_ROWS", 50)
    monkeypatch.setattr("chiso.ingest.csv_columns.MAX_CSV_ROWS", 50, raising=False)
    path = _wide_csv(tmp_path / "rows.csv", ",".join(["HS-x", *"a" * 9]))
    says(refused(pieces_of(path)), path, "50 dòng")


# --- problems of an import: kept up to a limit, counted beyond -------------------------------


def test_an_import_keeps_the_first_problems_and_counts_the_rest(
    store: Path, tmp_path: Path, export_rows: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chiso.ingest.importer.MAX_KEPT_ISSUES", 50)
    column = [name for _, name in HEADERS].index("procedure_code")
    bad = [[*r[:column], "KHÔNG-CÓ", *r[column + 1 :]] for r in export_rows[:300]]
    path = write_csv(tmp_path / "bad.csv", bad)
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [path], str(store))
    assert len(caught.value.issues) == 50
    assert caught.value.dropped >= 250
    # "…; 50 lỗi được liệt kê, thêm 250 lỗi khác chỉ được đếm" (Vietnamese by default)
    assert "50 lỗi được liệt kê" in caught.value.message
    assert f"thêm {caught.value.dropped} lỗi khác chỉ được đếm" in caught.value.message


# --- reports read by the checker: DOCX, workbooks, PDF, text --------------------------------


@pytest.fixture
def blank_docx(tmp_path: Path) -> Path:
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    return path


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_a_docx_table_cell_spanning_a_billion_columns_is_refused(
    tmp_path: Path, blank_docx: Path
) -> None:
    body = (
        b"<w:document " + _W + b"><w:body><w:tbl><w:tr><w:tc><w:tcPr>"
        b'<w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:body>'
        b"</w:document>"
    )
    path = docx_with(tmp_path / "span.docx", blank_docx, body)
    says(refused(lambda: read_document(path)), path, "256 cột")


def test_a_docx_whose_body_inflates_past_the_report_limit_is_refused(
    tmp_path: Path, blank_docx: Path
) -> None:
    paragraphs = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * (3 * MB)
    body = b"<w:document " + _W + b"><w:body>" + paragraphs + b"</w:body></w:document>"
    path = docx_with(tmp_path / "bomb.docx", blank_docx, body)
    says(refused(lambda: read_document(path), mb=256), path, "word/document.xml")


def test_the_report_checker_refuses_a_workbook_calamine_would_blow_up(tmp_path: Path) -> None:
    """4.2 GB and 37 s before: calamine reads every sheet whole."""
    path = xlsx(
        tmp_path / "far.xlsx", HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    says(refused(lambda: read_document(path)), path, "4.000.000 ô")


def test_a_text_report_past_the_text_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chiso.ingest.scores.document.MAX_TEXT_CHARS", 1_000)
    path = tmp_path / "report.txt"
    path.write_text("Báo cáo\n" * 500, encoding="utf-8")
    says(refused(lambda: read_document(path)), path, "1.000 ký tự")


# --- JSON: portal captures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, ("64 cấp",)),
        ('{"code": "OK", "data": {"total": ' + "9" * 5_000 + "}}", ("100 chữ số",)),
        ('{"code": "OK", "data": {"name": "\\ud800"}}', ("surrogate", "\\ud800")),
        ('{"code": "OK", "data": {"total": NaN}}', ("NaN",)),
    ],
    ids=["deep", "digits", "surrogate", "nan"],
)
def test_a_portal_capture_past_a_json_limit_is_refused(
    tmp_path: Path, body: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / "capture.json"
    path.write_text(body, encoding="utf-8")
    says(refused(lambda: read_response(path)), path, *words)
