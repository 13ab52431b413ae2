"""The drill-down's rows say which procedure, where the dossier stands against its due
time and how many working days late (holiday calendar), in the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import make_dossier, make_procedure
from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.engine.explain import Explanation, explain
from chiso.spec.loader import load_index_set
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

UNIT = "03253"


@pytest.fixture
def may(tmp_path: Path) -> Path:
    """May 2026 of one commune: late across 30/4–1/5, on time, overdue, open, and on
    time but asked for supplements twice."""
    dossiers = [
        # due Wed 29/4; 30/4, 1/5 holidays, 2–3/5 weekend: 5 days later, 1 working day
        ("LATE", "P-HT-02", "2026-04-20 08:00", "2026-04-29 17:00", "2026-05-04 09:00", 0),
        ("ONTIME", "P-HT-01", "2026-05-04 08:00", "2026-05-07 17:00", "2026-05-06 10:00", 0),
        # due Tue 26/5, unfinished at the period's end (1/6 00:00): 27, 28, 29/5 → 3
        ("OVERDUE", "P-HT-01", "2026-05-20 08:00", "2026-05-26 17:00", None, 0),
        ("OPEN", "P-HT-01", "2026-05-28 08:00", "2026-06-03 17:00", None, 0),
        ("SUPP", "P-HT-02", "2026-05-05 08:00", "2026-05-12 17:00", "2026-05-08 10:00", 2),
    ]
    write_tables(tmp_path, {
        "procedures": [make_procedure(code="P-HT-01", name="Đăng ký khai sinh"),
                       make_procedure(code="P-HT-02", name="Đăng ký kết hôn")],
        "dossiers": [make_dossier(code=code, unit=UNIT, received=received, procedure_code=proc,
                                  due_at=due, finished_at=done, supplement_count=supp)
                     for code, proc, received, due, done, supp in dossiers],
    })  # fmt: skip
    return tmp_path


def _explain(data: Path, **kwargs: object) -> Explanation:
    index_set = load_index_set("dienbien-459-2023")
    period = parse_period("2026-05")
    return explain(open_folder(data), index_set, period, UNIT, "tien_do", **kwargs)  # type: ignore[arg-type]


def test_rows_carry_the_procedure_the_progress_and_working_days_late(may: Path) -> None:
    found = _explain(may)
    costing = {r["dossier_code"]: r for r in found.costing}
    counted = {r["dossier_code"]: r for r in found.counted}
    assert set(costing) == {"LATE", "OVERDUE", "SUPP"} and set(counted) == {"ONTIME", "OPEN"}
    late = costing["LATE"]
    assert late["procedure_code"] == "P-HT-02" and late["procedure_name"] == "Đăng ký kết hôn"
    assert late["progress"] == "late" and late["progress_label"] == "Đã giải quyết trễ hạn"
    assert late["late_working_days"] == 1  # not 5: the holidays and the weekend are off
    assert costing["OVERDUE"]["progress"] == "overdue"
    assert costing["OVERDUE"]["late_working_days"] == 3
    assert costing["SUPP"]["progress"] == "supplements"
    assert costing["SUPP"]["late_working_days"] is None
    assert counted["ONTIME"]["progress_label"] == "Đã giải quyết đúng hạn"
    assert counted["OPEN"]["progress"] == "in_progress"
    assert counted["OPEN"]["late_working_days"] is None
    assert found.columns[:5] == [
        "dossier_code", "procedure_code", "procedure_name", "progress", "late_working_days"
    ]  # fmt: skip
    assert {"due_at", "finished_at"} <= set(found.columns)
    assert (found.costing_total, found.counted_total) == (3, 2)


def test_keep_filters_before_the_limit_and_the_totals_count_every_kept_row(may: Path) -> None:
    overdue = _explain(may, keep=lambda r: r["progress"] == "overdue")
    assert [r["dossier_code"] for r in overdue.costing] == ["OVERDUE"] and not overdue.counted
    assert (overdue.costing_total, overdue.counted_total) == (1, 0)
    first = _explain(may, limit=1)
    assert len(first.costing) == 1 and first.costing_total == 3


def test_the_cli_json_and_table_carry_them(may: Path) -> None:
    args = ["explain", "--data", str(may), "--period", "2026-05", "--unit", UNIT]
    out = CliRunner().invoke(cli, [*args, "--indicator", "tien_do", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["records_costing_points"] == 3 and doc["records_counted"] == 2
    late = next(r for r in doc["costing_points"] if r["dossier_code"] == "LATE")
    assert late["late_working_days"] == 1 and late["procedure_name"] == "Đăng ký kết hôn"
    on_time = next(r for r in doc["counted"] if r["dossier_code"] == "ONTIME")
    assert on_time["progress"] == "on_time" and "late_working_days" not in on_time
    table = CliRunner().invoke(cli, [*args, "--indicator", "tien_do"])
    assert table.exit_code == 0, table.output
    for text in ("Tên thủ tục", "Đăng ký kết hôn", "Tình trạng", "Quá hạn, chưa giải quyết"):
        assert text in table.output
