"""``chiso reconcile``: portal files written from our own scores reconcile to zero."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.engine.results import ResultSet
from chiso.engine.runner import Level, score
from chiso.portal.groups import GROUPS
from chiso.portal.reconcile import Status, reconcile
from chiso.portal.writers import write_group, write_summary
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder
from chiso.synth.generator import generate

UNITS = ("11", "03256", "so-tu-phap")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic Điện Biên with 3 000 dossiers received in March 2026."""
    folder = tmp_path_factory.mktemp("province")
    generate(folder, dossiers=3000, start=date(2026, 3, 1), end=date(2026, 4, 1), seed=7)
    return folder


@pytest.fixture(scope="module")
def ours(province: Path) -> ResultSet:
    """Our pooled scores of the province, a commune and a department."""
    store, index_set = open_folder(province), load_index_set("vn-766-portal-2026")
    period = parse_period("2026-03")
    return score(store, index_set, [period], level=Level("units", UNITS), pooled=True)[0]


def _folder_with_portal(
    tmp_path: Path, province: Path, ours: ResultSet, shifts: dict[str, dict[str, float]]
) -> Path:
    data = tmp_path / "data"
    shutil.copytree(province, data)
    files = tmp_path / "portal"
    files.mkdir()
    paths = [write_summary(files, ours)]
    paths += [write_group(files, ours, code, shifts=shifts.get(code)) for code in GROUPS]
    result = CliRunner().invoke(cli, ["import", "portal", *map(str, paths), "--into", str(data)])
    assert result.exit_code == 0, result.output
    return data


def _run(data: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        cli, ["reconcile", "--data", str(data), "--period", "2026-03", *extra]
    )


def test_portal_scores_written_from_our_own_computation_reconcile_to_zero(
    tmp_path: Path, province: Path, ours: ResultSet
) -> None:
    data = _folder_with_portal(tmp_path, province, ours, {})
    result = _run(data, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    statuses = {(r["unit_code"], r["portal_code"]): r["status"] for r in doc["rows"]}
    assert len(statuses) == len(UNITS) * len(GROUPS)
    assert set(statuses.values()) == {"equal"}
    assert all(abs(r["difference"]) <= 0.005 for r in doc["rows"])
    assert doc["counts"]["differs"] == 0 and doc["tolerance"] == 0.015


def test_an_altered_group_is_reported_and_fails_the_command(
    tmp_path: Path, province: Path, ours: ResultSet
) -> None:
    data = _folder_with_portal(tmp_path, province, ours, {"MDSH": {"03256": -0.5}})
    result = _run(data, "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.output)["rows"]
    differs = [r for r in rows if r["status"] == "differs"]
    assert [(r["unit_code"], r["group"]) for r in differs] == [("03256", "mdsh")]
    assert differs[0]["difference"] == pytest.approx(0.5, abs=0.006)
    assert differs[0]["source"].startswith("dossier-digitized-2026-03.json $.response.data")


def test_the_tolerance_decides_what_counts_as_equal(
    tmp_path: Path, province: Path, ours: ResultSet
) -> None:
    data = _folder_with_portal(tmp_path, province, ours, {"TDGQ": {"so-tu-phap": -0.04}})
    assert _run(data).exit_code == 1
    assert _run(data, "--tolerance", "0.05").exit_code == 0


def test_the_table_and_csv_name_the_unit_group_and_status(
    tmp_path: Path, province: Path, ours: ResultSet
) -> None:
    data = _folder_with_portal(tmp_path, province, ours, {"CKMB": {"03256": 1.25}})
    table = _run(data)
    assert table.exit_code == 1
    assert "Đối chiếu điểm Cổng DVCQG" in table.output and "lệch" in table.output
    assert "chưa nhập điểm: publish_on_time" in table.output
    rows = list(csv.DictReader(io.StringIO(_run(data, "--format", "csv").output)))
    row = next(r for r in rows if (r["unit_code"], r["group"]) == ("03256", "ckmb"))
    assert row["status"] == "differs" and Decimal(row["difference"]) < Decimal("-1.2")


def test_a_group_only_one_side_scores_is_reported_as_missing(
    tmp_path: Path, province: Path, ours: ResultSet
) -> None:
    data = _folder_with_portal(tmp_path, province, ours, {})
    store, index_set = open_folder(data), load_index_set("vn-766-portal-2026")
    result = reconcile(store, index_set, parse_period("2026-03"))
    assert {r.status for r in result.rows} == {Status.EQUAL}
    # A portal file with a null score for one commune group: only chiso has a score.
    files = tmp_path / "null"
    files.mkdir()
    path = write_group(files, ours, "TTTT")
    body = json.loads(path.read_text("utf-8"))
    commune = ours.unit("03256").name
    for child in body["response"]["data"]["children"]:
        if child["departmentName"].startswith(commune):
            child["totalScore"] = None
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    CliRunner().invoke(cli, ["import", "portal", str(path), "--into", str(data)])
    result = reconcile(open_folder(data), index_set, parse_period("2026-03"))
    missing = [r for r in result.rows if r.status is not Status.EQUAL]
    assert [(r.unit_code, r.group, r.status) for r in missing] == [
        ("03256", "tttt", Status.MISSING_PORTAL)
    ]
    assert not result.differs


def test_reconcile_without_portal_scores_explains_what_to_import(province: Path) -> None:
    result = _run(province)
    assert result.exit_code == 2 and "chiso import portal" in result.output


def test_a_capture_taken_mid_month_reconciles_with_ours_as_of_its_capture_time(
    tmp_path: Path, province: Path
) -> None:
    """The portal scores a running month live: a response captured on the 20th is
    compared with our month up to that instant, not with the whole month."""
    store, index_set = open_folder(province), load_index_set("vn-766-portal-2026")
    mid = parse_period("2026-03", now=datetime(2026, 3, 20, 9, 0))
    live = score(store, index_set, [mid], level=Level("units", UNITS), pooled=True)[0]
    whole = score(store, index_set, [parse_period("2026-03")], level=Level("units", UNITS))[0]
    assert live.to_json()["units"] != whole.to_json()["units"]  # the instant matters here
    data = tmp_path / "data"
    shutil.copytree(province, data)
    files = tmp_path / "portal"
    files.mkdir()
    taken = "2026-03-20T09:00:00+07:00"
    paths = [write_summary(files, live, captured_at=taken)]
    paths += [write_group(files, live, code, captured_at=taken) for code in GROUPS]
    imported = CliRunner().invoke(cli, ["import", "portal", *map(str, paths), "--into", str(data)])
    assert imported.exit_code == 0, imported.output
    result = _run(data, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["counts"]["differs"] == 0
    assert doc["period_label"].endswith("tính đến 20/03/2026 09:00")


def test_portal_scores_without_dossiers_list_every_row_as_missing_on_our_side(
    tmp_path: Path,
) -> None:
    """A folder that holds only what `chiso import portal` wrote: every portal row is
    listed as missing on chiso's side; nothing differs, so the command succeeds."""
    saved = Path(__file__).parent / "fixtures" / "service-results-2026.json"
    data = tmp_path / "data"
    imported = CliRunner().invoke(cli, ["import", "portal", str(saved), "--into", str(data)])
    assert imported.exit_code == 0, imported.output
    table = CliRunner().invoke(cli, ["reconcile", "--data", str(data), "--period", "2026"])
    assert table.exit_code == 0, table.output
    assert "chiso không có điểm" in table.output and "chưa có hồ sơ" in table.output
    result = CliRunner().invoke(
        cli, ["reconcile", "--data", str(data), "--period", "2026", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    stored = pq.read_table(data / "portal_scores.parquet").to_pylist()
    assert len(doc["rows"]) == len(stored) > 0
    assert {(r["unit_code"], r["group"]) for r in doc["rows"]} == {
        (r["unit_code"], r["group"]) for r in stored
    }
    assert {r["status"] for r in doc["rows"]} == {"missing_ours"}
    assert {r["cause"] for r in doc["rows"]} == {"thiếu ở hệ thống tỉnh"}
    assert all(r["portal"] is not None and r["ours"] is None for r in doc["rows"])
    assert doc["rows"][0]["unit_name"] == "UBND tỉnh Điện Biên"
    assert doc["counts"]["missing_ours"] == len(stored)


def _tdgq_with_counts(files: Path, ours: ResultSet, unit: str, *, extra: int, shift: float) -> Path:
    """The TDGQ tree with ``unit``'s counts as ours (+ ``extra`` received) and its score shifted."""
    path = write_group(files, ours, "TDGQ", shifts={unit: shift})
    body = json.loads(path.read_text("utf-8"))
    on_time = next(i for i in ours.unit(unit).indicators if i.code == "dossiers_on_time")
    name = ours.unit(unit).name
    for child in body["response"]["data"]["children"]:
        if child["departmentName"].startswith(name):
            child["totalOnTime"] = int(on_time.numerator or 0)
            child["totalReceived"] = int(on_time.denominator or 0) + extra
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("extra", "cause"), [(0, "quy tắc tính khác"), (7, "số hồ sơ khác nhau")])
def test_a_gap_is_explained_by_the_counts_when_the_portal_gives_them(
    tmp_path: Path, province: Path, ours: ResultSet, extra: int, cause: str
) -> None:
    """Same counts, other points: a rule differs; other counts: the counts explain it."""
    data = _folder_with_portal(tmp_path, province, ours, {})
    files = tmp_path / "counts"
    files.mkdir()
    path = _tdgq_with_counts(files, ours, "so-tu-phap", extra=extra, shift=-0.5)
    assert (
        CliRunner().invoke(cli, ["import", "portal", str(path), "--into", str(data)]).exit_code == 0
    )
    doc = json.loads(_run(data, "--format", "json").output)
    line = next(r for r in doc["rows"] if (r["unit_code"], r["group"]) == ("so-tu-phap", "tdgq"))
    assert line["status"] == "differs" and line["cause"] == cause
    assert {r["cause"] for r in doc["rows"] if r["status"] == "equal"} == {None}


def test_every_cause_is_named_in_the_table_csv_and_workbook(
    tmp_path: Path, province: Path, ours: ResultSet
) -> None:
    """A commune's MDSH short of manual points, a group missing on the portal; --by group."""
    import openpyxl

    data = _folder_with_portal(tmp_path, province, ours, {"MDSH": {"03256": -0.5}})
    files = tmp_path / "null"
    files.mkdir()
    path = write_group(files, ours, "TTTT")
    body = json.loads(path.read_text("utf-8"))
    for child in body["response"]["data"]["children"]:
        if child["departmentName"].startswith(ours.unit("03256").name):
            child["totalScore"] = None
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    CliRunner().invoke(cli, ["import", "portal", str(path), "--into", str(data)])
    rows = list(csv.DictReader(io.StringIO(_run(data, "--format", "csv").output)))
    causes = {(r["unit_code"], r["group"]): r["cause"] for r in rows if r["cause"]}
    assert causes == {("03256", "mdsh"): "thiếu điểm nhập tay",
                      ("03256", "tttt"): "thiếu trên cổng"}  # fmt: skip
    table = _run(data, "--by", "group")
    assert "Nguyên nhân có thể" in table.output and "thiếu trên cổng" in table.output
    by_group = json.loads(_run(data, "--by", "group", "--format", "json").output)["rows"]
    assert [r["group"] for r in by_group[: len(UNITS)]] == ["ckmb"] * len(UNITS)
    out = tmp_path / "doi-chieu.xlsx"
    written = _run(data, "--format", "xlsx", "--output", str(out))
    assert written.exit_code == 1 and "đã ghi 18 dòng đối chiếu" in written.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:7] == ["Đơn vị", "Nhóm", "Hệ thống tỉnh", "Cổng DVC quốc gia",
                            "Chênh lệch", "Trạng thái", "Nguyên nhân có thể"]  # fmt: skip
    mdsh = next(r for r in cells if r[0] == ours.unit("03256").name and r[1] == "MDSH")
    assert mdsh[5] == "lệch" and mdsh[6] == "thiếu điểm nhập tay"
    assert mdsh[4] == pytest.approx(0.5, abs=0.006)


def test_an_excel_workbook_needs_an_output_file(province: Path) -> None:
    result = _run(province, "--format", "xlsx")
    assert result.exit_code == 2 and "--output" in result.output
