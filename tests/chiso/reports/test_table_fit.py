"""Annex column widths from the words they hold (no LibreOffice needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from chiso.reports.docx import template_for, write_docx
from chiso.reports.report_data import ReportContext
from chiso.reports.table_fit import CELL_MARGIN, MIN_PT, fit_table, fit_tables, text_width

LANDSCAPE_ROOM_MM = 297 - 30 - 15


def _twips(mm: float) -> float:
    return mm / 25.4 * 1440


def _grid(tbl: Any) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]


def _words(tc: Any) -> list[tuple[str, float, bool]]:
    out = []
    for r in tc.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        size = int(rpr.find(qn("w:sz")).get(qn("w:val"))) / 2
        bold = rpr.find(qn("w:b")) is not None
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        out += [(w, size, bold) for w in text.split()]
    return out


@pytest.fixture(scope="module")
def rendered(small_report: ReportContext, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fit") / "bao_cao.docx"
    return write_docx(small_report, template_for("dienbien-459-2023"), path)


def test_annex_tables_fit_the_landscape_margins_with_fixed_widths(rendered: Path) -> None:
    document = docx.Document(str(rendered))
    annexes = [
        t._tbl for t in document.tables if t._tbl.find(f".//{qn('w:tblHeader')}") is not None
    ]
    assert len(annexes) == 3
    landscape = document.sections[-1]
    assert (round(landscape.left_margin.mm), round(landscape.right_margin.mm)) == (30, 15)
    for tbl in annexes:
        grid = _grid(tbl)
        assert sum(grid) == pytest.approx(_twips(LANDSCAPE_ROOM_MM), abs=len(grid))
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for tr in tbl.iterchildren(qn("w:tr")):
            assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
            col = 0
            for tc in tr.iterchildren(qn("w:tc")):
                span = tc.grid_span
                width = int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                assert width == sum(grid[col : col + span])
                for word, size, bold in _words(tc):
                    needed = text_width(word, size, bold=bold) * 20 + 2 * CELL_MARGIN
                    assert needed <= width, (word, needed, width)
                col += span
    headers = [tr for tr in annexes[0].iterchildren(qn("w:tr"))
               if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]  # fmt: skip
    assert len(headers) == 3


def test_header_rows_are_tall_enough_for_their_vertically_merged_cells(rendered: Path) -> None:
    """A repeated header is laid out from its rows' heights: "TỔNG ĐIỂM QUY ĐỔI",
    merged over the three header rows, needs four lines of 12 pt."""
    document = docx.Document(str(rendered))
    tbl = next(
        t._tbl for t in document.tables if t._tbl.find(f".//{qn('w:tblHeader')}") is not None
    )
    heights = []
    for tr in tbl.iterchildren(qn("w:tr")):
        if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            height = tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
            assert height.get(qn("w:hRule")) == "atLeast"
            heights.append(int(height.get(qn("w:val"))) / 20)
    assert len(heights) == 3
    assert sum(heights) >= 4 * 12 * 1.15


def test_letterhead_and_signature_tables_are_left_as_designed(rendered: Path) -> None:
    document = docx.Document(str(rendered))
    letterhead = document.tables[0]._tbl
    assert [round(w / 1440 * 25.4) for w in _grid(letterhead)] == [62, 103]
    assert letterhead.find(f".//{qn('w:cantSplit')}") is None


def test_the_docx_title_is_the_trich_yeu_and_the_author_the_issuing_body(
    rendered: Path, small_report: ReportContext
) -> None:
    props = docx.Document(str(rendered)).core_properties
    assert props.title == small_report.letter.subject
    assert props.title.startswith("Kết quả đánh giá chất lượng phục vụ")
    assert props.author == "UBND huyện Điện Biên"


def _table(doc: Any, rows: list[list[str]], size: float) -> Any:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for tr, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(tr.cells, texts, strict=True):
            cell.paragraphs[0].add_run(text).font.size = Pt(size)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return table._tbl


def test_a_table_too_wide_for_its_words_shrinks_its_font_down_to_the_floor() -> None:
    doc = docx.Document()
    numbers = [["STT", *("Tổng phí" for _ in range(14))], ["1", *("16.968.000" for _ in range(14))]]
    tbl = _table(doc, numbers, 12)
    room = 880.0  # points: the numbers fit at 11 pt, not at 12
    cap = fit_table(tbl, room)
    assert MIN_PT <= cap < 12
    assert sum(_grid(tbl)) == pytest.approx(room * 20, abs=15)
    sizes = {int(sz.get(qn("w:val"))) / 2 for sz in tbl.iter(qn("w:sz"))}
    assert sizes == {cap}
    for width in _grid(tbl)[1:]:
        assert text_width("16.968.000", cap) * 20 + 2 * CELL_MARGIN <= width


def test_spare_room_goes_first_to_the_columns_that_would_wrap() -> None:
    doc = docx.Document()
    tbl = _table(doc, [["STT", "Tên", "Xếp loại"], ["1", "UBND xã Mường Ảng", "Xuất sắc"]], 12)
    room = text_width("UBND xã Mường Ảng Xuất sắc STT", 12) + 20 * 6 + 10
    fit_table(tbl, room)
    stt, name, grade = (w / 20 for w in _grid(tbl))
    assert name >= text_width("UBND xã Mường Ảng", 12) + 2 * CELL_MARGIN / 20
    assert grade >= text_width("Xuất sắc", 12) + 2 * CELL_MARGIN / 20
    assert stt < name


def test_only_tables_with_a_header_row_are_fitted(tmp_path: Path) -> None:
    doc = docx.Document()
    plain = doc.add_table(rows=1, cols=2)
    plain.rows[0].cells[0].text = "Nơi nhận"
    _table(doc, [["STT", "Tên"], ["1", "Sở Tư pháp"]], 12)
    assert fit_tables(doc) == 1
    assert plain._tbl.find(f".//{qn('w:cantSplit')}") is None
