"""The 2026 portal rules the index-set language gained: province values carried down,
full points when nothing is entered, data-quality flags that travel with the score,
ranking blocks — each checked on one scored month of vn-766-portal-2026."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import make_dossier, make_procedure
from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.engine.results import ResultSet
from chiso.engine.runner import Level, score_one
from chiso.spec.loader import load_index_set
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

SET = "vn-766-portal-2026"
LEVEL = ("11", "so-tu-phap", "03253", "03256")
FLAG = "Mẫu số của Cổng Dịch vụ công quốc gia (Hệ thống báo cáo quốc gia/GRIS) đang dùng số tạm"


def _manual(unit: str, indicator: str, value: float) -> dict[str, object]:
    return {
        "index_set": SET, "indicator": indicator, "unit_code": unit, "period": "2026-03",
        "value": value, "note": None, "author": "kstt", "recorded_at": "2026-04-02 09:00:00",
    }  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder: Path = tmp_path_factory.mktemp("portal2026")
    on_time = {"due_at": "2026-03-12 17:00:00", "finished_at": "2026-03-11 10:00:00"}
    write_tables(
        folder,
        {
            "procedures": [make_procedure(), make_procedure(code="P-T-01", level="tinh")],
            "dossiers": [
                make_dossier(code="D1", unit="03253", received="2026-03-10 08:00:00", **on_time),
                make_dossier(
                    code="D2", unit="03256", received="2026-03-10 08:00:00", synced=False, **on_time
                ),
                make_dossier(
                    code="S1",
                    unit="so-tu-phap",
                    received="2026-03-10 08:00:00",
                    procedure_code="P-T-01",
                    **on_time,
                ),
            ],
            "manual_values": [
                _manual("11", "publish_on_time", 0.13),
                _manual("11", "public_update_on_time", 3.66),
                _manual("03256", "public_update_on_time", 4),  # its own value wins
                _manual("03253", "e_certified_copy", 1),
            ],
        },
    )
    return folder


@pytest.fixture(scope="module")
def month(folder: Path) -> ResultSet:
    level = Level("units", LEVEL)
    return score_one(open_folder(folder), load_index_set(SET), parse_period("2026-03"),
                     level=level)  # fmt: skip


def test_agencies_and_communes_carry_the_province_values_of_1_1_to_1_3(month: ResultSet) -> None:
    for code in ("so-tu-phap", "03253", "03256", "11"):
        assert month.unit(code).indicator("publish_on_time").points == pytest.approx(0.13)
    assert month.unit("03253").indicator("public_update_on_time").points == pytest.approx(3.66)
    assert month.unit("03256").indicator("public_update_on_time").points == 4
    # Nothing entered for the province: nothing to carry.
    assert not month.unit("03253").indicator("public_content_full").applicable


def test_certified_copies_with_nothing_entered_get_full_points(month: ResultSet) -> None:
    assert month.unit("03256").indicator("e_certified_copy").points == 2
    assert month.unit("03253").indicator("e_certified_copy").points == 1
    # Another manual indicator without no_value stays '-'.
    assert not month.unit("03256").indicator("personal_data_store").applicable


def test_the_temporary_denominator_flag_travels_with_the_score(month: ResultSet) -> None:
    unit = month.to_json()["units"][0]
    sync = next(i for i in unit["indicators"] if i["code"] == "dossier_sync")
    assert sync["quality_flag"] == FLAG
    assert unit["quality_flags"] == [FLAG]
    others = [i for i in unit["indicators"] if i["code"] != "dossier_sync"]
    assert all("quality_flag" not in i for i in others)


def test_agencies_and_communes_are_ranked_apart_as_well_as_overall(month: ResultSet) -> None:
    ranks = {u.unit_code: (u.rank, u.block_rank) for u in month.units}
    # 03256 lost 1.4 (not synced) and is below 03253 among the communes.
    assert ranks["03253"][1] == 1 and ranks["03256"][1] == 2
    assert ranks["so-tu-phap"][1] == 1
    assert ranks["11"][1] is None
    assert sorted(r for r, _ in ranks.values()) == [1, 2, 3, 4]
    rows = {u["unit_code"]: u for u in month.to_json()["units"]}
    assert rows["03256"]["block_rank"] == 2 and "block_rank" not in rows["11"]


def test_the_table_shows_block_ranks_and_the_flag_under_it(folder: Path) -> None:
    args = ["score", "--data", str(folder), "--index-set", SET, "--period", "2026-03",
            "--level", "units:" + ",".join(LEVEL)]  # fmt: skip
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "khối" in result.output  # the "Hạng trong khối" column (wrapped)
    assert f"Lưu ý chất lượng dữ liệu — Hồ sơ đồng bộ trạng thái lên Cổng DVCQG: {FLAG}." in (
        result.output
    )
