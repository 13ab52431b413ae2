"""Issue #17.6: a dossier received at another centre counts for its competent unit.

Xã Tuần Giáo (03253) decides four dossiers of March 2026: two received at its own desk,
one at Xã Mường Ảng's (03256, late) and one at the province's centre (ttpvhcc-11).
Mường Ảng decides one of its own.  The index counts by ``unit_code`` ("tính theo đơn vị
áp dụng DVC"): Tuần Giáo carries all four, the late one included; Mường Ảng and the
centre carry none of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import make_dossier, make_procedure
from chiso.domain.periods import parse_period
from chiso.engine.explain import explain
from chiso.engine.runner import Level, score_one
from chiso.spec.loader import load_index_set
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

ON_TIME = "tien_do"


def _dossier(code: str, unit: str, day: int, point: str | None, *, late: bool = False) -> dict:
    finished = f"2026-03-{day + (6 if late else 1):02d}T10:00:00"
    return make_dossier(
        code=code, unit=unit, received=f"2026-03-{day:02d}T08:00:00",
        due_at=f"2026-03-{day + 3:02d}T17:00:00", finished_at=finished,
        receiving_point=point,
    )  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    write_tables(
        tmp_path,
        {
            "procedures": [make_procedure()],
            "dossiers": [
                _dossier("TG-1", "03253", 2, "03253"),
                _dossier("TG-2", "03253", 3, None),
                _dossier("TG-3", "03253", 4, "03256", late=True),
                _dossier("TG-4", "03253", 5, "ttpvhcc-11"),
                _dossier("MA-1", "03256", 9, "03256"),
            ],
        },
    )
    return tmp_path


def _scores(data: Path) -> dict[str, object]:
    level = Level.parse("units:03253,03256,ttpvhcc-11")
    result = score_one(
        open_folder(data), load_index_set("dienbien-459-2023"), parse_period("2026-03"),
        level=level,
    )  # fmt: skip
    return {u.unit_code: u for u in result.units}


def test_a_dossier_received_elsewhere_counts_for_its_competent_unit_only(data: Path) -> None:
    units = _scores(data)
    assert not units["ttpvhcc-11"].has_data  # type: ignore[attr-defined]
    store, index_set = open_folder(data), load_index_set("dienbien-459-2023")
    period = parse_period("2026-03")
    tuan_giao = explain(store, index_set, period, "03253", ON_TIME)
    assert tuan_giao.in_denominator == 4
    assert [r["dossier_code"] for r in tuan_giao.costing] == ["TG-3"]  # late, received at 03256
    assert tuan_giao.costing[0]["receiving_point"] == "03256"
    assert "receiving_point" in tuan_giao.columns  # the drill-down shows where
    muong_ang = explain(store, index_set, period, "03256", ON_TIME)
    assert muong_ang.in_denominator == 1 and muong_ang.costing == []
    assert "receiving_point" not in muong_ang.columns  # its one dossier: its own desk
