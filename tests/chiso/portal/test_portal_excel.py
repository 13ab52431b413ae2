"""The portal's legacy Excel exports (real files in shared/realdata, read in place)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.cli import cli
from portal_cli import import_portal, stored_portal_scores

_ROOT = Path(__file__).parents[3]
# ../shared from the project root; ../../shared from a worktree under wt/.
_FOUND = [
    p / "shared" / "realdata" / "dvcqg-766-exports"
    for p in (_ROOT / "..", _ROOT / ".." / "..")
    if (p / "shared" / "realdata" / "dvcqg-766-exports").is_dir()
]
pytestmark = pytest.mark.skipif(not _FOUND, reason="shared/realdata is not beside the project")
EXPORTS = _FOUND[0] if _FOUND else Path()
T10 = EXPORTS / "new-766_bao_cao_T10_2025.xlsx"
MONTH_FILE = EXPORTS / "new-766_bao_cao_thang_10_2025.xlsx"


def test_a_workbook_of_several_periods_asks_for_a_sheet_and_says_what_each_is(
    tmp_path: Path,
) -> None:
    result = import_portal(T10, "--into", tmp_path / "data", "--period", "2025-10")
    assert result.exit_code == 2, result.output
    assert "không phải UTF-8" not in result.output
    assert "có 4 bảng điểm" in result.output
    assert "trang “Điểm năm”: 34 tỉnh, thành phố" in result.output
    assert "trang “Sở Ban”: 15 sở, ban, ngành của tỉnh An Giang (H01)" in result.output
    assert "trang “Xu hướng tháng” (cột month, year, score): không phải bảng điểm" in (
        result.output
    )
    assert "--sheet" in result.output


def test_the_national_sheet_stores_dien_bien_and_leaves_the_others_out(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = import_portal(T10, "--sheet", "Điểm tháng", "--period", "2025-10", "--into", data)
    assert result.exit_code == 0, result.output
    assert "bỏ qua 33" in result.output
    rows = stored_portal_scores(data)
    assert {k[0] for k in rows} == {"11"}
    assert rows[("11", "tdgq")]["score"] == 19.63 and rows[("11", "ckmb")]["score"] == 17.76
    assert rows[("11", "dvctt")]["score"] == 8.03 and rows[("11", "dvctt")]["max_score"] == 10
    assert rows[("11", "tttt")]["score"] == 8.37
    assert rows[("11", "mdsh")]["source"].endswith("trang Điểm tháng dòng 11 cột MDSH")


def test_a_single_sheet_workbook_needs_no_sheet(tmp_path: Path) -> None:
    result = import_portal(MONTH_FILE, "--period", "2025", "--into", tmp_path / "data")
    assert result.exit_code == 0, result.output
    rows = stored_portal_scores(tmp_path / "data")
    assert rows[("11", "tdgq")]["score"] == 19.35 and rows[("11", "tttt")]["score"] == 6.36
    assert {r["period"] for r in rows.values()} == {"2025"}


@pytest.mark.parametrize("sheet", ["Sở Ban", "Xã Phường"])
def test_another_provinces_departments_and_communes_are_refused_naming_it(
    tmp_path: Path, sheet: str
) -> None:
    result = import_portal(T10, "--sheet", sheet, "--period", "2025-10", "--into", tmp_path / "d",
                           "--skip-unknown")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "của tỉnh An Giang (H01), không phải tỉnh Điện Biên (H18)" in result.output
    assert f"trang “{sheet}” của bảng Excel" in result.output
    assert not (tmp_path / "d" / "portal_scores.parquet").exists()


def test_a_trend_sheet_is_refused_saying_what_it_is(tmp_path: Path) -> None:
    result = import_portal(T10, "--sheet", "Xu hướng quý", "--period", "2025", "--into", tmp_path)
    assert result.exit_code == 2
    assert "trang “Xu hướng quý” (cột quarter, year, score): không phải bảng điểm" in result.output


def _an_giang(folder: Path) -> None:
    """A data folder whose unit tree is An Giang's (province and three departments)."""
    folder.mkdir()
    rows = [
        ("89", "UBND tỉnh An Giang", "An Giang", "tinh", ""),
        ("ag-tu-phap", "Sở Tư pháp", "Tư pháp", "so", "89"),
        ("ag-y-te", "Sở Y tế", "Y tế", "so", "89"),
        ("ag-du-lich", "Sở Du lịch", "Du lịch", "so", "89"),
    ]
    with (folder / "units.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["unit_code", "gso_code", "name", "short_name", "kind", "parent_code",
                      "valid_from", "valid_to", "successor_code"])  # fmt: skip
        for code, name, short, kind, parent in rows:
            out.writerow([code, "", name, short, kind, parent, "2025-07-01", "", ""])


def test_an_giangs_departments_import_into_an_an_giang_tree(tmp_path: Path) -> None:
    data = tmp_path / "an-giang"
    _an_giang(data)
    result = import_portal(T10, "--sheet", "Sở Ban", "--period", "2025-10", "--into", data,
                           "--skip-unknown")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 đơn vị; bỏ qua 12" in result.output
    rows = stored_portal_scores(data)
    assert {k[0] for k in rows} == {"ag-tu-phap", "ag-y-te", "ag-du-lich"}
    assert rows[("ag-du-lich", "mdsh")]["score"] == 16.11


def test_an_export_of_2025_is_stored_under_the_2025_portal_set_and_keeps_its_total(
    tmp_path: Path,
) -> None:
    """Without --index-set the set in force in the period is chosen (10/2025: the 2025
    set); the six stored groups add up to the printed TONG_SCORE (87.41 for Điện Biên)."""
    data = tmp_path / "data"
    result = import_portal(T10, "--sheet", "Điểm tháng", "--period", "2025-10", "--into", data)
    assert result.exit_code == 0, result.output
    rows = stored_portal_scores(data)
    assert {r["index_set"] for r in rows.values()} == {"vn-766-portal-2025"}
    assert round(sum(r["score"] for r in rows.values()), 2) == 87.41


def test_the_score_import_given_the_portal_export_points_to_the_portal_import(
    tmp_path: Path,
) -> None:
    args = ["import", "scores", str(T10), "--into", str(tmp_path / "data")]
    result = CliRunner().invoke(cli, [*args, "--index-set", "vn-766-portal-2025"])
    assert result.exit_code == 2, result.output
    assert "không tìm thấy bảng điểm" in result.output
    assert "Gợi ý: đây là bảng điểm Cổng DVCQG xuất ra (report_tinh_766_service)" in result.output
    assert f'chiso import portal {T10} --into THƯ_MỤC --sheet "Điểm năm" --period KỲ' in " ".join(
        result.output.split()
    )
    assert "STT" not in result.output
