"""Issue #15: an import error names the column as the officer's file names it
("NGÀY TIẾP NHẬN", row 8), in CSV and XLSX alike, and the summary speaks Vietnamese."""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.cli import cli
from exports import HEADERS, write_csv, write_xlsx

FIELDS = [f for _, f in HEADERS]
HEADER = {f: h for h, f in HEADERS}  # the export's own wording of each column
Writer = Callable[[Path, Sequence[list[str]]], Path]


@pytest.mark.parametrize(("writer", "suffix"), [(write_csv, "csv"), (write_xlsx, "xlsx")])
def test_a_bad_cell_is_named_by_the_files_own_header(
    store: Path, tmp_path: Path, export_rows: list[list[str]], writer: Writer, suffix: str
) -> None:
    rows = copy.deepcopy(export_rows[:20])
    rows[2][FIELDS.index("received_at")] = "31/02/2026 08:00"
    rows[4][FIELDS.index("unit_name")] = "UBND xã Không Có"
    rows[6][FIELDS.index("due_at")] = "01/01/2020 08:00"
    export = writer(tmp_path / f"export.{suffix}", rows)
    rejects = tmp_path / "rejects.csv"
    args = ["import", "dossiers", str(export), "--into", str(store), "--rejects", str(rejects)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 2
    shown = " ".join(refused.output.split())
    assert "cột “NGÀY TIẾP NHẬN” = '31/02/2026 08:00': không phải ngày giờ hợp lệ" in shown
    assert f"cột “{HEADER['unit_name']}” = 'UBND xã Không Có'" in shown
    assert "cột “Ngày hẹn trả kết quả” = " in shown
    assert "kiểm tra “Ngày hẹn trả kết quả” và “NGÀY TIẾP NHẬN” của dòng này" in shown
    for code in ("received_at", "unit_code", "unit_name", "due_at"):
        assert code not in shown
    with rejects.open(encoding="utf-8-sig") as fh:
        listed = list(csv.DictReader(fh))
    by_column = {r["column"]: r["header"] for r in listed}
    assert by_column["received_at"] == "NGÀY TIẾP NHẬN"  # the code for programs, beside
    accepted = CliRunner().invoke(cli, [*args, "--skip-invalid"])
    assert accepted.exit_code == 0, accepted.output
    summary = " ".join(accepted.output.split())
    assert "Số dòng đọc" in summary and "Bị loại" in summary
    assert "Đã ghi vào" in summary and "(hồ sơ)" in summary
    assert "rows read" not in summary and "wrote" not in summary


def test_the_summary_is_english_when_asked(
    store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    export = write_csv(tmp_path / "export.csv", export_rows[:5])
    args = ["import", "dossiers", str(export), "--into", str(store), "--dry-run"]
    result = CliRunner().invoke(cli, args, env={"CHISO_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "Rows read" in result.output and "nothing written (--dry-run)" in result.output
