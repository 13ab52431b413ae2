"""``chiso import portal``: units matched, rows stored once, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.portal.importer import read_portal, write_portal
from chiso.spec.loader import load_index_set

FIXTURES = Path(__file__).parent / "fixtures"
MONTH = sorted(p.name for p in FIXTURES.glob("*-2026-08.json"))


def _stored(folder: Path) -> list[dict[str, Any]]:
    con = duckdb.connect()
    rel = con.sql(
        f"SELECT * FROM read_parquet('{folder / 'portal_scores.parquet'}') "
        'ORDER BY period, unit_code, "group"'
    )
    columns = [c[0] for c in rel.description]
    return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]


def _import(folder: Path, *names: str, extra: tuple[str, ...] = ()) -> Any:
    files = [str(FIXTURES / n) if not Path(n).is_absolute() else n for n in names]
    return CliRunner().invoke(cli, ["import", "portal", *files, "--into", str(folder), *extra])


def test_every_month_file_is_stored_by_unit_and_group(tmp_path: Path) -> None:
    result = _import(tmp_path, *MONTH, extra=("--period", "2026-08"))
    assert result.exit_code == 0, result.output
    rows = _stored(tmp_path)
    by_key = {(r["unit_code"], r["group"]): r for r in rows}
    assert {r["unit_code"] for r in rows} == {"11", "so-tu-phap", "03256", "03127"}
    assert by_key[("11", "ckmb")]["score"] == 7.97
    assert by_key[("03256", "mdhl")]["score"] == 14.47
    assert by_key[("so-tu-phap", "tdgq")]["numerator"] == 1152
    assert by_key[("so-tu-phap", "tdgq")]["denominator"] == 1208
    assert by_key[("11", "dvctt")]["max_score"] == 12
    assert by_key[("11", "ckmb")]["source"].startswith("transparency-2026-08.json $.response")
    assert {r["period"] for r in rows} == {"2026-08"}
    assert len(rows) == 22  # 4 units × 6 groups, minus ĐBP's digitisation and payment rows


def test_importing_the_same_files_again_changes_nothing(tmp_path: Path) -> None:
    first = _import(tmp_path, *MONTH, extra=("--period", "2026-08"))
    before = (tmp_path / "portal_scores.parquet").read_bytes()
    again = _import(tmp_path, *MONTH, extra=("--period", "2026-08"))
    assert first.exit_code == again.exit_code == 0
    assert "0 dòng mới, 0 dòng thay đổi, 22 dòng không đổi" in again.output
    assert (tmp_path / "portal_scores.parquet").read_bytes() == before


def test_a_new_capture_of_the_same_period_replaces_the_scores(tmp_path: Path) -> None:
    _import(tmp_path, "transparency-2026-08.json")
    body = json.loads((FIXTURES / "transparency-2026-08.json").read_text("utf-8"))
    body["response"]["data"]["overview"]["totalScore"] = 8.5
    (tmp_path / "newer").mkdir()
    newer = tmp_path / "newer" / "transparency-2026-08.json"  # same name: same source
    newer.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    result = _import(tmp_path, str(newer))
    assert "0 dòng mới, 1 dòng thay đổi, 3 dòng không đổi" in result.output
    assert {r["unit_code"]: r["score"] for r in _stored(tmp_path)}["11"] == 8.5


def test_the_national_summary_keeps_dien_bien_and_leaves_other_provinces_out(
    tmp_path: Path,
) -> None:
    result = _import(tmp_path, "service-results-2026.json")
    assert "bỏ qua 2: UBND tỉnh Lai Châu, UBND tỉnh Sơn La" in result.output
    rows = _stored(tmp_path)
    assert {r["group"]: r["score"] for r in rows} == {
        "ckmb": 8.02, "tdgq": 19.02, "dvctt": 6.51, "tttt": 6.16, "mdhl": 9.88, "mdsh": 10.11,
    }  # fmt: skip
    assert {(r["unit_code"], r["period"]) for r in rows} == {("11", "2026")}


def test_an_unknown_unit_stops_the_import_with_did_you_mean(tmp_path: Path) -> None:
    body = json.loads((FIXTURES / "transparency-2026-08.json").read_text("utf-8"))
    body["response"]["data"]["evaluation"][1]["departmentName"] = "UBND xã Mường Ản"
    body["response"]["data"]["evaluation"][2]["departmentName"] = "Văn phòng UBND tỉnh"
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "data"
    result = _import(folder, str(path))
    assert result.exit_code == 2
    assert "evaluation[1].departmentName: không có đơn vị nào tên" in result.output
    assert "có phải là" in result.output and "UBND xã Mường Ảng (03256" in result.output
    assert "--skip-unknown" in result.output
    assert "evaluation[2].departmentName" in result.output
    assert not (folder / "portal_scores.parquet").exists()
    skipped = _import(folder, str(path), extra=("--skip-unknown",))
    assert skipped.exit_code == 0 and "bỏ qua 2" in skipped.output
    assert {r["unit_code"] for r in _stored(folder)} == {"11", "so-tu-phap"}


def test_one_bad_file_writes_nothing_of_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"code": "OK", "data": [', encoding="utf-8")
    result = _import(tmp_path / "data", "transparency-2026-08.json", str(bad))
    assert result.exit_code == 2 and "bad.json:1:" in result.output
    assert not (tmp_path / "data" / "portal_scores.parquet").exists()


def test_a_period_option_that_contradicts_the_saved_request_is_refused(tmp_path: Path) -> None:
    result = _import(tmp_path, "transparency-2026-08.json", extra=("--period", "2026-09"))
    assert result.exit_code == 2
    assert "yêu cầu đã lưu là của kỳ 2026-08, còn --period ghi 2026-09" in result.output


def test_a_score_above_its_maximum_is_refused(tmp_path: Path) -> None:
    body = json.loads((FIXTURES / "dvc-progress-tree-2026-08.json").read_text("utf-8"))
    body["response"]["data"]["children"][0]["score"] = 20.5
    path = tmp_path / "over.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    index_set = load_index_set("vn-766-portal-2025")
    with pytest.raises(UserError, match=r"children\[0\]\.score: score 20\.5 is above the max"):
        read_portal(path, index_set=index_set, tree=UnitTree.dienbien())


def test_two_files_that_disagree_without_capture_times_are_refused(tmp_path: Path) -> None:
    index_set, tree = load_index_set("vn-766-portal-2025"), UnitTree.dienbien()
    body = json.loads((FIXTURES / "dossier-digitized-2026-08.json").read_text("utf-8"))
    body["data"]["overview"]["totalScore"] = 9.0
    other = tmp_path / "other.json"
    other.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    imports = [
        read_portal(p, index_set=index_set, tree=tree, period="2026-08")
        for p in (FIXTURES / "dossier-digitized-2026-08.json", other)
    ]
    with pytest.raises(
        UserError, match=r"11/2026-08/mdsh: .* cho 10\.2, .* cho 9\.0; không biết bản nào"
    ):
        write_portal(tmp_path / "data", imports)


def test_an_index_set_without_the_portal_groups_is_refused(tmp_path: Path) -> None:
    result = _import(tmp_path, "transparency-2026-08.json", extra=("--index-set", "vn-766-2022"))
    assert result.exit_code == 2 and "không đối chiếu được sáu nhóm của Cổng" in result.output


def test_a_database_url_as_target_is_refused(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'x.duckdb'}"
    result = CliRunner().invoke(
        cli, ["import", "portal", str(FIXTURES / "transparency-2026-08.json"), "--into", url]
    )
    assert result.exit_code == 2 and "chỉ ghi được vào một thư mục dữ liệu" in result.output
    assert not (tmp_path / "x.duckdb").exists()
