"""``chiso check-report`` on the five seed reports: exactly their known inconsistencies.

The expected findings are domain.md §7: E01 (000 row 6), E08 (001 count ≠ list),
E11 (002 late list), E12 (002 "10/20"), E15 (002 Biểu 03 totals) are errors; E02,
E18, E21 are naming warnings; E04 is OCR.  Rows that are right (E03, E05, E06, E07,
E10, E23 are rounding) give nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.checks import check_report
from chiso.cli import cli

SEEDS = Path(__file__).parents[2] / "fixtures" / "seeds"


def seed(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


def errors(n: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.kind, f.where, f.printed, f.correct) for f in check_report(seed(n)).errors]


def warnings(n: str, kind: str) -> list[str]:
    return [
        f.message for f in check_report(seed(n)).findings if f.level == "warning" and f.kind == kind
    ]


def test_seed_000_finds_row_6_total_and_converted_copied_from_row_7() -> None:
    where = "dòng 69, STT 6 (UBND Thị trấn Mường Ảng)"
    assert errors("000") == [
        ("total", f"{where}, cột tổng điểm đạt được", "78,5", "78,57"),
        ("converted", f"{where}, cột tổng điểm quy đổi", "98,12", "98,21"),
    ]


def test_seed_000_reports_the_narrative_and_table_spellings_of_ang_to() -> None:
    naming = warnings("000", "naming")
    assert len(naming) == 5
    both = '"UBND xã Ảng Tờ" (dòng 67); "UBND xã Ảng Tở" (dòng 21)'
    assert f"UBND xã Ẳng Tở được ghi là {both}" in naming


def test_seed_000_is_read_as_truncated_to_2_decimals() -> None:
    result = check_report(seed("000"))
    assert [(r.mode, r.decimals) for r in result.rounding] == [("truncate", 2)]
    assert (result.period, result.reporting_unit) == ("2024-11", "102")


def test_seed_000_with_row_6_corrected_has_no_error(tmp_path: Path) -> None:
    text = seed("000").read_text(encoding="utf-8")
    fixed = text.replace(
        "8,57\t5\t10\t5\t5\t5\t78,5/80\t98,12", "8,57\t5\t10\t5\t5\t5\t78,57/80\t98,21"
    )
    assert fixed != text
    path = tmp_path / "000.txt"
    path.write_text(fixed, encoding="utf-8")
    assert check_report(path).errors == []


def test_seed_001_finds_only_the_count_that_does_not_match_its_list() -> None:
    """E08: "04 đơn vị … tỷ lệ còn thấp" names three units."""
    assert errors("001") == [("list", "dòng 70, Số hóa hồ sơ Chỉ số 1", "04", "03")]


def test_seed_001_ocr_restorations_are_warnings_with_the_value_read() -> None:
    ocr = warnings("001", "ocr")
    assert len(ocr) == 10
    assert '"47" được đọc là 4,7 (mất dấu thập phân)' in ocr
    assert '"5962" được đọc là 59,62 (mất dấu thập phân)' in ocr
    assert any("mất chữ số" in m and "63,93/80 × 10" in m for m in ocr)  # "7.9" is 7,99


def test_seed_001_rounds_half_up_on_the_10_point_scale() -> None:
    result = check_report(seed("001"))
    assert [(r.mode, r.decimals) for r in result.rounding] == [("half_up", 2)]
    assert result.reporting_unit == "094"


def test_seed_002_finds_the_late_list_the_payment_denominator_and_the_bieu_03_totals() -> None:
    found = errors("002")
    late = [f for f in found if f[0] == "late"]
    assert len(late) == 3  # E11: Quài Nưa has 30,0; Chiềng Đông and Mường Thín are omitted
    assert [f for f in found if f[0] == "count"] == [
        ("count", "dòng 31", "10/20", "10/19")  # E12
    ]
    totals = {f[1].rsplit(", ", 1)[1]: (f[2], f[3]) for f in found if f[0] == "digitisation"}
    assert totals == {  # E15
        "(1)": ("1335", "903"), "(2)": ("1236", "806"), "(3)": ("92.58%", "89,26"),
        "(5)": ("99", "97"), "(6)": ("1236", "869"), "(7)": ("1108", "800"),
        "(8)": ("89.64%", "92,06"), "(9)": ("128", "69"),
    }  # fmt: skip
    assert len(found) == 12


def test_seed_002_late_messages_name_the_units() -> None:
    messages = [f.message for f in check_report(seed("002")).errors if f.kind == "late"]
    assert messages[0] == '"UBND Quài Nưa" được nêu là trễ hạn nhưng đạt điểm tối đa về tiến độ'
    assert "Chiềng Đông bị trừ điểm tiến độ (29,3)" in messages[1]
    assert "Mường Thín bị trừ điểm tiến độ (27,3)" in messages[2]


def test_seed_002_names_across_annexes_are_naming_warnings() -> None:
    """E18: Tênh Phong / Tân Phong, Nà Sáy / Nhà Sáy, Nà Tông / Nhà Tông, Quài Tở / Quài Tờ."""
    naming = " ".join(warnings("002", "naming"))
    for spelled in ("Tân Phong", "Nhà Sáy", "Nhà Tông", "Quài Tờ", "Toà Tỉnh", "UBND Thị trấn"):
        assert f'"{spelled}' in naming or f'"UBND xã {spelled}' in naming


@pytest.mark.parametrize("n", ["003", "004"])
def test_seeds_003_and_004_have_no_error(n: str) -> None:
    """003 is arithmetically consistent (E21); 004's 15,98 is hidden decimals (E23)."""
    assert errors(n) == []


def test_seed_003_reports_the_non_official_names() -> None:
    naming = " ".join(warnings("003", "naming"))
    for spelled in ("Noong Hẹt", "Na Ú", "Mường Pòn", "Hệ Muông"):
        assert f'"{spelled}"' in naming


@pytest.mark.parametrize(
    ("converted", "wrong"), [("87,51", False), ("87,50", False), ("87,60", True)]
)
def test_an_integer_total_of_decimal_cells_is_a_display_of_a_decimal_sum(
    tmp_path: Path, converted: str, wrong: bool
) -> None:
    """ "70" for cells that sum to 70,00: the exact sum may be 70,009 (each printed cell
    truncated), so 87,51 (70,009/80, truncated) displays right; 87,60 does not (chiso's own
    province report printed "71" and 83,53 for UBND xã Chà Tở)."""
    text = (
        seed("000")
        .read_text(encoding="utf-8")
        .replace("4,52\t70,18/80\t87,72\tTốt", f"4,34\t70/80\t{converted}\tTốt")
    )
    assert f"70/80\t{converted}" in text
    path = tmp_path / "000.txt"
    path.write_text(text, encoding="utf-8")
    found = [f for f in check_report(path).errors if f.kind == "converted" and "Đăng" in f.where]
    assert bool(found) is wrong


def test_a_wrong_class_and_a_wrong_narrative_count_are_found(tmp_path: Path) -> None:
    text = seed("000").read_text(encoding="utf-8")
    text = text.replace("70,18/80\t87,72\tTốt", "70,18/80\t87,72\tXS").replace(
        "- 01 đơn vị xếp loại Tốt", "- 02 đơn vị xếp loại Tốt"
    )
    path = tmp_path / "000.txt"
    path.write_text(text, encoding="utf-8")
    found = {(f.kind, f.printed, f.correct) for f in check_report(path).errors}
    assert ("class", "XS", "Tốt") in found
    assert ("count", "02", "01") in found


def test_cli_exits_1_on_errors_0_when_clean_and_2_on_unreadable_input(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["check-report", str(seed("000"))]).exit_code == 1
    assert runner.invoke(cli, ["check-report", str(seed("003"))]).exit_code == 0
    assert runner.invoke(cli, ["check-report", str(tmp_path / "missing.txt")]).exit_code == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("Báo cáo không có bảng.\n", encoding="utf-8")
    result = runner.invoke(cli, ["check-report", str(empty)])
    assert result.exit_code == 2
    assert "không tìm thấy bảng điểm" in result.output


def test_cli_json_lists_findings_with_location_and_values() -> None:
    import json

    result = CliRunner().invoke(cli, ["check-report", str(seed("000")), "--format", "json"])
    doc = json.loads(result.output)
    assert doc["rounding"] == [{"mode": "truncate", "decimals": 2}]
    assert doc["findings"][0]["correct"] == "78,57"


# --- results published as web pages ---------------------------------------------------------


def _as_html(text: str) -> str:
    """The report as a portal page: paragraphs, and each tab-separated run as a <table>."""
    out, rows = ['<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>'], []
    for line in [*text.splitlines(), ""]:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows and line.strip():
            out.append(f"<table border='1'>{''.join(rows)}</table>")
            rows = []
        if line.strip():
            out.append(f"<p>{line.lstrip('#').strip()}</p>")
    out.append(f"<table>{''.join(rows)}</table>" if rows else "")
    return "\n".join(out) + "</body></html>"


def _as_pipes(text: str) -> str:
    """The report with its tables drawn with ``|`` (as pasted into a portal's text box)."""
    return "\n".join(
        "| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line
        for line in text.splitlines()
    )


def _findings(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.level, f.kind, f.printed, f.correct) for f in check_report(path).findings]


@pytest.mark.parametrize("n", ["000", "002"])
@pytest.mark.parametrize(("suffix", "convert"), [(".html", _as_html), (".txt", _as_pipes)])
def test_a_report_published_as_a_web_page_or_a_pipe_table_gives_the_same_findings(
    tmp_path: Path, n: str, suffix: str, convert: object
) -> None:
    assert callable(convert)
    copy = tmp_path / f"{n}{suffix}"
    copy.write_text(convert(seed(n).read_text(encoding="utf-8")), encoding="utf-8")
    assert _findings(copy) == _findings(seed(n))
    assert any(level == "error" for level, *_ in _findings(copy))


def test_check_report_reads_an_html_page_from_the_command_line(tmp_path: Path) -> None:
    page = tmp_path / "ket-qua.html"
    page.write_text(_as_html(seed("000").read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-report", str(page)])
    assert result.exit_code == 1, result.output
    assert "bảng 1 dòng" in result.output and "98,12" in result.output
