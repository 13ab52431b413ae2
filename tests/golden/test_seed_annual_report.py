"""Seed 004 (BC 401/BC-UBND, 2022): the NĐ 61 annual report written from its annex numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from seed_scoring import TREE, results_of
from seed_tables import COUNTS_004, SEED_004, parse_number

from chiso.reports.annual import build_annual_report
from chiso.reports.docx import template_for, write_docx
from chiso.reports.profile import load_profile
from chiso.reports.report_data import ReportContext, ReportOptions
from chiso.spec.loader import load_index_set

STAFF = {
    TREE.resolve(r.name, on=SEED_004.on, within=SEED_004.within).unit_code: parse_number(
        r.staff_average or ""
    )
    for r in SEED_004.rows
}


@pytest.fixture(scope="module")
def annual() -> ReportContext:
    return build_annual_report(
        results_of(SEED_004),
        load_index_set("nd61-tt01-2018"),
        issuer=TREE.get("11"),
        profile=load_profile(),
        staff_average=STAFF,
        options=ReportOptions(number="401", signer_name="Lê Thành Đô",
                              signer_lines=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        year=2022,
    )  # fmt: skip


def test_section_sentences_state_the_seed_counts_e25(annual: ReportContext) -> None:
    texts = [s.text for s in annual.sentences() if s.rule == "annual_section"]
    assert texts == [
        "+ 100% các cơ quan chuyên môn thuộc UBND tỉnh được đánh giá xếp loại từ Tốt trở lên, "
        "trong đó: 17/18 đơn vị đạt loại Xuất sắc, 01/18 đơn vị đạt loại Tốt.",
        "+ 100% ủy ban nhân dân các huyện, thị xã, thành phố được đánh giá xếp loại từ Tốt trở "
        "lên, trong đó: 08/10 đơn vị đạt loại Xuất sắc, 02/10 đơn vị đạt loại Tốt.",
    ]
    assert COUNTS_004 == ({"excellent": 17, "good": 1}, {"excellent": 8, "good": 2})


def test_the_nine_criteria_are_listed_and_the_lowest_class_is_named(
    annual: ReportContext,
) -> None:
    criteria = [s.text for s in annual.sentences() if s.rule == "criterion"]
    assert len(criteria) == 9 and criteria[0].startswith("+ Chỉ số 1: Tổng thời gian")
    [lowest] = [s for s in annual.sentences() if s.rule == "annual_lowest"]
    assert lowest.count == 3  # Sở Ngoại vụ, Điện Biên Đông, Mường Chà
    assert "Sở Ngoại vụ" in lowest.text and "UBND huyện Mường Chà" in lowest.text
    [staff] = [s for s in annual.sentences() if s.rule == "staff_average"]
    assert "từ 9 đến 10 điểm" in staff.text


def test_annex_rows_reproduce_the_seed_with_the_staff_average_e23_e24(
    annual: ReportContext,
) -> None:
    annex = annual.annex("bieu_01")
    assert annex is not None and annex.label == "Phụ lục"
    assert annex.keys[-3:] == ("total", "staff_average", "grade")
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in annex.rows if r.kind == "unit"}
    assert len(rows) == 28
    for printed in SEED_004.rows:
        row = rows[printed.name]
        cells = [parse_number(c) for c in row[2:11]]
        assert cells == [parse_number(c or "") for c in printed.cells]
        total = Decimal("15.97") if printed.name == "Sở Giao thông vận tải" else None  # E23
        assert parse_number(row[11]) == (total or parse_number(printed.total))
        assert parse_number(row[12]) == parse_number(printed.staff_average or "")
        assert row[13] == printed.grade
    assert rows["Ban Dân tộc"][11:] == ["15", "9", "Xuất sắc"]  # E24: exactly 15 is XS


def test_annual_docx_prints_the_criteria_header_and_no_converted_column(
    annual: ReportContext, tmp_path: Path
) -> None:
    path = write_docx(annual, template_for("nd61-tt01-2018"), tmp_path / "bc401.docx")
    document = docx.Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    top = [
        ("".join(x.text or "" for x in tc.iter(qn("w:t"))),
         tc.tcPr.find(qn("w:gridSpan")))
        for tc in table._tbl.tr_lst[0].tc_lst
    ]  # fmt: skip
    labels = [t for t, _ in top]
    assert labels == ["STT", "TÊN CƠ QUAN, ĐƠN VỊ", "ĐIỂM CÁC TIÊU CHÍ", "TỔNG ĐIỂM ĐẠT ĐƯỢC",
                      "ĐTB CCVC", "XẾP LOẠI"]  # fmt: skip
    assert top[2][1] is not None and top[2][1].get(qn("w:val")) == "9"
    assert [c.text for c in table.rows[1].cells[2:11]] == [f"Tiêu chí {n}" for n in range(1, 10)]
    texts = [p.text for p in document.paragraphs]
    assert "Kết quả chấm điểm đánh giá việc giải quyết thủ tục hành chính năm 2022 trên địa bàn " \
        "tỉnh Điện Biên" in texts  # fmt: skip
    assert "Phụ lục" in texts
    sections = [r for r in table.rows if r.cells[1].text.isupper() and r.cells[0].text in
                ("I", "II")]  # fmt: skip
    assert [r.cells[1].text for r in sections] == [
        "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH",
        "ỦY BAN NHÂN DÂN CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ",
    ]
