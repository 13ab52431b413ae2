"""``chiso national``: provinces ranked by their latest portal capture, ours beside them."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.contracts.national import NationalView
from chiso.domain.periods import parse_period
from chiso.engine.runner import Level, score
from chiso.portal.groups import portal_index_set
from chiso.portal.national import national_view
from chiso.storage.store import open_folder
from chiso.synth.generator import generate_national
from chiso.synth.national import national_tree

CODES = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL")
EARLY, LATE = "2026-01-20T08:00:00+07:00", "2026-02-01T02:00:00+07:00"


def _capture(path: Path, when: str, rows: list[tuple[str, str, tuple[float, ...]]]) -> Path:
    """A saved ``service-results`` response of January 2026 listing ``rows``' provinces."""
    evaluation = [
        {"departmentName": name, "departmentCode": code, "totalScore": sum(groups),
         "groupScores": dict(zip(CODES, groups, strict=True))}
        for name, code, groups in rows
    ]  # fmt: skip
    body = {
        "url": "https://dichvucong.gov.vn/api/v1/reporting/evaluation/service-results",
        "payload": {"timeType": "month", "year": 2026, "month": 1},
        "capturedAt": when,
        "response": {"code": "OK", "data": {"overview": {"departmentName": "Cả nước"},
                                            "evaluation": evaluation}},
    }  # fmt: skip
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 34 provinces' first week of 2026, Hà Nội's dossiers removed."""
    folder = tmp_path_factory.mktemp("nation")
    generate_national(folder, dossiers=3400, start=date(2026, 1, 1), end=date(2026, 1, 8))
    hanoi = {u.unit_code for u in national_tree().descendants("01")} | {"01"}
    for part in (folder / "dossiers").glob("*.parquet"):
        table = pq.read_table(part)
        keep = pc.invert(pc.is_in(table["unit_code"], value_set=pa_array(hanoi)))
        pq.write_table(table.filter(keep), part)
    return folder


def pa_array(values: set[str]) -> Any:
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


@pytest.fixture(params=["older first", "newer first"])
def data(request: pytest.FixtureRequest, nation: Path, tmp_path: Path) -> Path:
    """The nation with two captures of January imported, in either order."""
    folder = tmp_path / "data"
    shutil.copytree(nation, folder)
    early = _capture(tmp_path / "early.json", EARLY, [
        ("UBND tỉnh Điện Biên", "H18", (10, 12, 8, 5, 9, 7)),
        ("UBND tỉnh Lai Châu", "H35", (11, 13, 9, 6, 10, 8)),
    ])  # fmt: skip
    late = _capture(tmp_path / "late.json", LATE, [
        ("UBND tỉnh Điện Biên", "H18", (12, 14, 8, 5, 9, 7)),
        ("UBND thành phố Hà Nội", "H26", (15, 16, 10, 8, 12, 9)),
    ])  # fmt: skip
    files = [early, late] if request.param == "older first" else [late, early]
    for path in files:
        result = CliRunner().invoke(cli, ["import", "portal", str(path), "--into", str(folder)])
        assert result.exit_code == 0, result.output
    return folder


def test_the_latest_capture_ranks_the_provinces_and_ours_stands_beside(data: Path) -> None:
    store, index_set = open_folder(data), portal_index_set(parse_period("2026-01"))
    view = national_view(store, index_set, parse_period("2026-01"))
    by_code = {p.unit_code: p for p in view.provinces}
    assert [(p.rank, p.name) for p in view.provinces] == [
        (1, "UBND thành phố Hà Nội"), (2, "UBND tỉnh Lai Châu"), (3, "UBND tỉnh Điện Biên"),
    ]  # fmt: skip
    dien_bien = by_code["11"]
    assert dict(dien_bien.portal_groups)["ckmb"] == 12 and dien_bien.portal_total == 55
    assert dien_bien.captured_at == datetime(2026, 2, 1, 2, 0)
    assert by_code["12"].captured_at == datetime(2026, 1, 20, 8, 0)
    assert dict(dien_bien.group_ranks)["ckmb"] == 2 and dict(dien_bien.group_ranks)["tttt"] == 3
    # Hà Nội sends no dossiers: the portal's scores alone; the others are computed too.
    assert by_code["01"].ours_total is None and by_code["01"].ours_rank is None
    pooled = score(store, index_set, [parse_period("2026-01")],
                   level=Level("units", ("11",)), pooled=True)[0].unit("11")  # fmt: skip
    points = pooled.group_points()
    assert dien_bien.ours_total == sum((v for v in points.values() if v is not None), Fraction(0))
    assert {by_code["11"].ours_rank, by_code["12"].ours_rank} == {1, 2}
    NationalView.model_validate(view.to_json())


def test_the_command_prints_the_ranking_and_its_json(data: Path) -> None:
    args = ["national", "--data", str(data), "--period", "2026-01"]
    table = CliRunner().invoke(cli, args)
    assert table.exit_code == 0, table.output
    assert "Xếp hạng toàn quốc theo Cổng DVC quốc gia — tháng 1 năm 2026" in table.output
    assert "01/02/2026 02:00" in table.output and "20/01/2026 08:00" in table.output
    assert "Tiến độ" in table.output and "2026-01" not in table.output
    doc = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert [p["unit_code"] for p in doc["provinces"]] == ["01", "12", "11"]
    assert doc["provinces"][2]["portal"]["tdgq"] == 14.0
    assert doc["provinces"][0]["ours"] is None and doc["provinces"][1]["ours"]["tdgq"] is not None


def test_a_period_without_portal_scores_is_a_clear_error(data: Path) -> None:
    result = CliRunner().invoke(cli, ["national", "--data", str(data), "--period", "2026-02"])
    assert result.exit_code == 2 and "chiso import portal" in result.output
