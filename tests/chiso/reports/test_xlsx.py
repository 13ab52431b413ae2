"""The XLSX annexes read back with openpyxl: merged headers, numbers, formats, totals."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from chiso.reports.report_data import ReportContext
from chiso.reports.xlsx import FIRST_HEADER_ROW, write_xlsx

HEAD = FIRST_HEADER_ROW + 1  # openpyxl rows are 1-based


@pytest.fixture(scope="module")
def book(
    small_report: ReportContext, tmp_path_factory: pytest.TempPathFactory
) -> openpyxl.Workbook:
    path = write_xlsx(small_report, tmp_path_factory.mktemp("xlsx") / "phu_luc.xlsx")
    return openpyxl.load_workbook(path)


def _merged(sheet: Worksheet) -> dict[str, str]:
    return {str(r): str(sheet.cell(r.min_row, r.min_col).value) for r in sheet.merged_cells.ranges}


def test_one_landscape_a4_sheet_per_annex(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Biểu 01", "Biểu 02", "Biểu 03"]
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9


def test_score_header_merges_groups_over_their_indicators(book: openpyxl.Workbook) -> None:
    merged = _merged(book["Biểu 01"])
    h = HEAD
    assert merged[f"C{h}:M{h}"] == "ĐIỂM CÁC CHỈ SỐ"
    assert merged[f"C{h + 1}:E{h + 1}"] == "Công khai, minh bạch"
    assert merged[f"F{h + 1}:F{h + 2}"] == "Tiến độ, kết quả giải quyết (30đ)"
    assert merged[f"A{h}:A{h + 2}"] == "STT"
    assert book["Biểu 01"][f"C{h + 2}"].value == "Chỉ số 1 (5đ)"


def test_section_rows_span_the_table_and_number_their_units(book: openpyxl.Workbook) -> None:
    sheet = book["Biểu 01"]
    first = HEAD + 3
    assert sheet[f"A{first}"].value == "I"
    assert _merged(sheet)[f"B{first}:P{first}"] == "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND HUYỆN"
    assert sheet[f"A{first + 2}"].value == "II"
    assert sheet[f"B{first + 3}"].value.startswith("UBND xã")


def test_scores_are_numbers_with_their_decimals_and_dashes_stay_text(
    book: openpyxl.Workbook,
) -> None:
    sheet = book["Biểu 01"]
    rows = [list(r) for r in sheet.iter_rows(min_row=HEAD + 3) if r[1].value]
    noong_het = next(r for r in rows if "Noọng Hẹt" in str(r[1].value))
    assert noong_het[2].value == "-"  # ck_cs1 not applicable
    assert noong_het[3].value == 5 and noong_het[3].number_format == "#,##0"
    sohoa_cs2 = noong_het[9]
    assert sohoa_cs2.value == pytest.approx(9.7) and sohoa_cs2.number_format == "#,##0.0"
    assert noong_het[13].value == pytest.approx(84.7)
    assert noong_het[14].value == pytest.approx(99.64) and noong_het[14].number_format == "#,##0.00"
    assert noong_het[15].value == "Xuất sắc"


def test_notes_explain_the_dash(book: openpyxl.Workbook) -> None:
    texts = [str(c.value) for row in book["Biểu 01"].iter_rows() for c in row if c.value]
    assert any(t.startswith("- Các chỉ số đánh giá bởi dấu (-)") for t in texts)


def test_fee_amounts_are_numeric_and_zero_prints_a_dash(book: openpyxl.Workbook) -> None:
    sheet = book["Biểu 02"]
    first = HEAD + 3
    assert sheet[f"E{first}"].value == 0
    assert sheet[f"F{first}"].number_format == '#,##0;-#,##0;"-"'
    total = next(r for r in sheet.iter_rows(min_row=first) if r[1].value == "TỔNG SỐ")
    units = [r for r in sheet.iter_rows(min_row=first) if isinstance(r[0].value, int | float)]
    assert total[10].value == sum(r[10].value for r in units)
    assert total[11].value == sum(r[11].value for r in units)


def test_digitisation_sheet_has_the_formula_legend_and_a_consistent_total(
    book: openpyxl.Workbook,
) -> None:
    sheet = book["Biểu 03"]
    legend = [c.value for c in sheet[HEAD + 2]]
    assert legend[2:5] == ["(1)", "(2)", "(3)=(2)/(1)"]
    rows = list(sheet.iter_rows(min_row=HEAD + 3))
    units = [r for r in rows if isinstance(r[0].value, int | float)]
    total = next(r for r in rows if r[1].value == "TỔNG SỐ")
    received = sum(r[2].value for r in units)
    digitised = sum(r[3].value for r in units)
    assert (total[2].value, total[3].value) == (received, digitised)
    assert total[4].value == pytest.approx(round(digitised / received * 100, 2))
