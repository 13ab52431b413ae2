"""The Word report read back with python-docx: NĐ 30 layout, merged annex header, fonts.

Merged cells are asserted on the ``w:tc`` elements (``row.cells`` repeats a merged
cell for every grid column it spans).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table

from chiso.errors import UserError
from chiso.reports.docx import template_for, write_docx
from chiso.reports.report_data import ReportContext


@pytest.fixture(scope="module")
def document(small_report: ReportContext, tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("docx") / "bao_cao.docx"
    write_docx(small_report, template_for("dienbien-459-2023"), path)
    return docx.Document(str(path))


def _text(doc: Document) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def _tcs(table: Table, row: int) -> list[tuple[str, int, str | None]]:
    """(text, gridSpan, vMerge) of every w:tc of a row."""
    out = []
    for tc in table._tbl.tr_lst[row].tc_lst:
        span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
        vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        out.append(
            (
                text,
                int(span.get(qn("w:val"))) if span is not None else 1,
                None if vmerge is None else (vmerge.get(qn("w:val")) or "continue"),
            )
        )
    return out


def _annex_table(doc: Document, first_header: str) -> Table:
    return next(t for t in doc.tables if _tcs(t, 0)[0][0] == first_header)


def test_letter_is_a4_portrait_with_the_decree_margins_and_page_numbers_from_page_2(
    document: Document,
) -> None:
    letter = document.sections[0]
    assert letter.orientation == WD_ORIENT.PORTRAIT
    assert (round(letter.page_width.mm), round(letter.page_height.mm)) == (210, 297)
    margins = (letter.top_margin, letter.bottom_margin, letter.left_margin, letter.right_margin)
    assert tuple(round(m.mm) for m in margins) == (20, 20, 30, 15)
    assert letter.different_first_page_header_footer
    header_xml = letter.header._element.xml
    assert 'w:instr="PAGE"' in header_xml
    assert "PAGE" not in letter.first_page_header._element.xml


def test_annexes_are_a_landscape_a4_section(document: Document) -> None:
    annex = document.sections[-1]
    assert len(document.sections) == 2
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == (297, 210)
    margins = (annex.top_margin, annex.bottom_margin, annex.left_margin, annex.right_margin)
    assert tuple(round(m.mm) for m in margins) == (20, 20, 30, 15)


def test_every_tag_is_rendered_and_text_is_nfc(document: Document) -> None:
    text = _text(document)
    assert "{{" not in text and "{%" not in text
    assert text == unicodedata.normalize("NFC", text)


def test_letter_fields_follow_the_decree(document: Document) -> None:
    head = document.tables[0]
    left, right = (c.text for c in head.rows[0].cells)
    assert left.split("\n") == ["ỦY BAN NHÂN DÂN", "HUYỆN ĐIỆN BIÊN", "Số: 661/BC-UBND"]
    assert right.split("\n") == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Điện Biên, ngày 26 tháng 11 năm 2024",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Kính gửi: Văn phòng UBND tỉnh Điện Biên." in texts
    assert any(t.startswith("Căn cứ Quyết định số 459/QĐ-UBND") for t in texts)
    headings = [t for t in texts if t[:2] in ("1.", "2.", "3.", "4.")]
    assert headings == [
        "1. Kết quả đánh giá, xếp loại",
        "2. Đánh giá chung",
        "3. Tồn tại, hạn chế",
        "4. Phương hướng, giải pháp",
    ]
    signature = document.tables[1].rows[0].cells
    assert signature[0].text.startswith("Nơi nhận:\n- Như trên;")
    assert signature[1].text.split("\n")[:3] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    assert signature[1].text.rstrip().endswith("Lò Văn A")


def test_narrative_paragraphs_are_the_report_sentences(
    document: Document, small_report: ReportContext
) -> None:
    texts = [p.text for p in document.paragraphs]
    for sentence in small_report.sentences():
        assert sentence.text in texts


def test_score_annex_has_the_static_merged_header(document: Document) -> None:
    table = _annex_table(document, "STT")
    top = _tcs(table, 0)
    assert top[0] == ("STT", 1, "restart")
    assert ("ĐIỂM CÁC CHỈ SỐ", 11, None) in top
    groups = _tcs(table, 1)
    assert ("Công khai, minh bạch", 3, None) in groups
    assert ("Tiến độ, kết quả giải quyết (30đ)", 1, "restart") in groups
    assert [t for t, _, _ in _tcs(table, 2) if t.startswith("Chỉ số")][:3] == [
        "Chỉ số 1 (5đ)",
        "Chỉ số 2 (5đ)",
        "Chỉ số 3 (10đ)",
    ]
    assert all(_tcs(table, r) for r in range(3))
    header_rows = [tr for tr in table._tbl.tr_lst if tr.find(f".//{qn('w:tblHeader')}") is not None]
    assert len(header_rows) == 3


def test_section_rows_are_one_merged_cell_and_unit_rows_carry_printed_numbers(
    document: Document,
) -> None:
    table = _annex_table(document, "STT")
    rows = [_tcs(table, r) for r in range(3, len(table._tbl.tr_lst))]
    sections = [r for r in rows if len(r) == 2]
    assert [(r[0][0], r[1][0], r[1][1]) for r in sections] == [
        ("I", "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND HUYỆN", 15),
        ("II", "UBND CÁC XÃ", 15),
    ]
    units = [[t for t, _, _ in r] for r in rows if len(r) == 16]
    assert units[0][:4] == ["1", "Phòng Tư pháp", "-", "5"]
    noong_het = next(u for u in units if u[1] == "UBND xã Noọng Hẹt")
    assert noong_het[9] == "9,7" and noong_het[13:] == ["84,7", "99,64", "Xuất sắc"]


def test_every_run_is_times_new_roman_and_the_letter_is_13_to_14_points(
    document: Document,
) -> None:
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14
    sizes = set()
    for p in document.paragraphs:
        for run in p.runs:
            assert run.font.name in (None, "Times New Roman")
            if run.text.strip():
                sizes.add((run.font.size or normal.size).pt)
    assert sizes <= {13, 14}
    annex_runs = [
        r for t in document.tables[2:] for row in t.rows for c in row.cells for p in c.paragraphs
        for r in p.runs
    ]  # fmt: skip
    assert {r.font.name for r in annex_runs} == {"Times New Roman"}
    assert {r.font.size.pt for r in annex_runs} == {12}


def test_fee_and_digitisation_annexes_are_rendered_when_the_report_has_them(
    document: Document,
) -> None:
    fees = _annex_table(document, "STT")
    assert fees is not None
    firsts = [_tcs(t, 0)[1][0] for t in document.tables[2:]]
    assert firsts == ["TÊN CƠ QUAN, ĐƠN VỊ", "Tên cơ quan, đơn vị", "Đơn vị (cơ quan)"]
    digitisation = document.tables[-1]
    legend = [t for t, _, _ in _tcs(digitisation, 2)]
    assert legend[2:5] == ["(1)", "(2)", "(3)=(2)/(1)"]
    assert [t for t, _, _ in _tcs(digitisation, len(digitisation._tbl.tr_lst) - 1)][1] == "TỔNG SỐ"


def test_a_report_without_statistics_has_only_biểu_01(
    small_report: ReportContext, tmp_path: Path
) -> None:
    from dataclasses import replace

    bare = replace(small_report, annexes=small_report.annexes[:1])
    doc = docx.Document(
        str(write_docx(bare, template_for("dienbien-459-2023"), tmp_path / "a.docx"))
    )
    assert len(doc.tables) == 3
    assert "Biểu số 02" not in _text(doc)


def test_an_index_set_without_a_template_is_a_user_error() -> None:
    with pytest.raises(UserError, match="chưa có mẫu Word"):
        template_for("no-such-index-set")
