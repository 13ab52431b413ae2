"""``chiso units``: a province's tree as a table, CSV or JSON, and the 34 provinces."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from chiso.cli import cli
from chiso.domain.units import UnitTree


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["units", *args], env=env)
    return result.exit_code, result.output


def test_the_table_lists_dien_bien_from_1_july_2025_in_vietnamese() -> None:
    code, out = _run("--province", "11", "--on", "2025-07-01")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Mã", "Tên", "đơn"]
    assert any(line.startswith("03127") and "UBND phường Điện Biên Phủ" in line for line in lines)
    assert "01/07/2025" in out and "2025-07-01" not in out
    assert len(lines) == 1 + 1 + 18 + 1 + 45  # header, province, departments, centre, communes


def test_the_csv_export_loads_back_as_a_unit_tree(tmp_path: Path) -> None:
    target = tmp_path / "units.csv"
    code, out = _run(
        "--province", "Dien Bien", "--on", "all", "--format", "csv", "--out", str(target)
    )
    assert code == 0, out
    assert "Đã ghi 208 dòng" in out
    tree = UnitTree.from_csv(target)
    assert len(tree) == 208
    assert tree.get("03127-cu").successor_code == "03127"


def test_the_setting_chooses_the_province() -> None:
    code, out = _run("--format", "json", env={"CHISO_PROVINCE": "Quảng Ninh"})
    assert code == 0, out
    rows = json.loads(out)
    assert rows[0]["unit_code"] == "22" and len(rows) == 1 + 12 + 54
    assert {"unit_code": "07192", "kind": "dac_khu"}.items() <= rows[-1].items()


def test_all_lists_the_34_provinces_with_their_communes() -> None:
    code, out = _run("--province", "all", "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 34
    assert sum(int(r["communes"]) for r in rows) == 3321


def test_an_unknown_province_or_date_is_a_clear_error() -> None:
    code, out = _run("--province", "Hà Tây")
    assert code == 2 and "không có tỉnh, thành phố nào là “Hà Tây”" in out
    code, out = _run("--on", "30/6/2025")
    assert code == 2 and "không phải một ngày" in out
