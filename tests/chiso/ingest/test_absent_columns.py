"""Issue #12.5: an export without an optional column never changes a score silently.

An export without "Số lần bổ sung" scores like the same export with the column all zeros
(docs/data-model.md, "Absent columns"), and the import preview and ``chiso quality`` name
the column by its Vietnamese header with the indicators of the index set that read it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from chiso.cli import cli
from exports import HEADERS

SUPPLEMENT = [h for h, f in HEADERS].index("Số lần yêu cầu bổ sung")
INDEX_SETS = ("dienbien-459-2023", "vn-766-2022", "vn-766-portal-2025")


def _export(path: Path, rows: list[list[str]], *, drop: int | None) -> Path:
    """A plain CSV export of ``rows``, without column ``drop`` when given."""

    def keep(cells: list[str]) -> list[str]:
        return [c for j, c in enumerate(cells) if j != drop]

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(keep([h for h, _ in HEADERS]))
        writer.writerows(keep(r) for r in rows)
    return path


def _import(store: Path, export: Path, *extra: str) -> Any:
    result = CliRunner().invoke(
        cli, ["import", "dossiers", str(export), "--into", str(store), *extra]
    )
    assert result.exit_code == 0, result.output
    return result


def _scores(store: Path, index_set: str) -> dict[str, Any]:
    args = ["score", "--data", str(store), "--period", "2026-10", "--index-set", index_set]
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {u["unit_code"]: u for u in json.loads(result.output)["units"]}


@pytest.fixture
def zeros(export_rows: list[list[str]]) -> list[list[str]]:
    """The export with "Số lần yêu cầu bổ sung" 0 on every row."""
    return [[*r[:SUPPLEMENT], "0", *r[SUPPLEMENT + 1 :]] for r in export_rows]


def test_an_export_without_the_supplement_column_scores_as_no_supplement_request(
    store: Path, tmp_path: Path, zeros: list[list[str]]
) -> None:
    absent = tmp_path / "absent"
    absent.mkdir()
    for name in ("units.parquet", "procedures.parquet"):
        (absent / name).write_bytes((store / name).read_bytes())
    _import(store, _export(tmp_path / "zeros.csv", zeros, drop=None))
    _import(absent, _export(tmp_path / "absent.csv", zeros, drop=SUPPLEMENT))
    for index_set in INDEX_SETS:
        with_zeros, without = _scores(store, index_set), _scores(absent, index_set)
        assert with_zeros == without, index_set
        assert any(u["converted"] is not None for u in without.values())


ON_TIME_459 = ("Tiến độ, KQ giải quyết", "Mức độ hài lòng – Chỉ số 3")


def test_the_import_preview_names_the_absent_column_and_the_indicators_it_affects(
    store: Path, tmp_path: Path, zeros: list[list[str]]
) -> None:
    export = _export(tmp_path / "export.csv", zeros, drop=SUPPLEMENT)
    shown = _import(store, export, "--dry-run").output
    assert "Cột không có trong tệp (1):" in shown
    line = next(x for x in shown.splitlines() if "“Số lần bổ sung”:" in x)
    assert "coi là 0 lần yêu cầu bổ sung" in line
    effect = shown.splitlines()[shown.splitlines().index(line) + 1]
    assert effect.strip() == (
        f"Ảnh hưởng chỉ số của Bộ chỉ số Điện Biên (QĐ 459/2023): {'; '.join(ON_TIME_459)}."
    )
    assert "supplement_count" not in shown and "dienbien-459-2023" not in shown
    other = _import(store, export, "--dry-run", "--index-set", "nd61-tt01-2018").output
    assert "Ảnh hưởng chỉ số của Chấm điểm một cửa (NĐ 61/2018): " in other
    assert "Tiến độ, KQ giải quyết" not in other
    complete = _import(store, _export(tmp_path / "full.csv", zeros, drop=None), "--dry-run")
    assert "Cột không có trong tệp" not in complete.output


def test_quality_lists_the_columns_no_dossier_of_the_period_has(
    store: Path, tmp_path: Path, zeros: list[list[str]]
) -> None:
    args = ["quality", "--data", str(store), "--period", "2026-10"]
    _import(store, _export(tmp_path / "export.csv", zeros, drop=SUPPLEMENT))
    shown = CliRunner().invoke(cli, args)
    assert shown.exit_code == 0, shown.output
    assert "Cột trống ở mọi hồ sơ của kỳ" in shown.output
    assert "“Số lần bổ sung”:" in shown.output and "supplement_count" not in shown.output
    assert all(label in shown.output for label in ON_TIME_459)
    payload = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    (absent,) = payload["absent_columns"]
    assert absent["column"] == "supplement_count" and absent["header"] == "Số lần bổ sung"
    assert [i["code"] for i in absent["indicators"]] == ["tien_do", "hailong_cs3"]
    _import(store, _export(tmp_path / "full.csv", zeros, drop=None))
    again = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert again["absent_columns"] == []
