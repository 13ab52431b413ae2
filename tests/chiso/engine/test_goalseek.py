"""`chiso plan`: applying a plan's actions to the records themselves reaches its class.

The plans are checked by an independent route: the records a plan names are changed in
a copy of the data (SQL below, not the planner's formulas), and the engine scores the
copy at the period end.  The score must be the plan's ``after`` exactly.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.domain.periods import Period
from chiso.engine.goalseek import Plan, plan_units
from chiso.engine.runner import score_one
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder
from chiso.storage.unitdata import tree_of
from chiso.synth.generator import generate

NOW = datetime(2026, 10, 15, 12, 0)
PERIOD = Period.of_month(2026, 10, now=NOW)

# Which records each lever changes, written independently of the planner: SQL over the
# exported columns, the k first by code.
CHANGES = {
    "on_time": (
        "dossiers", "dossier_code", "finished_at = due_at",
        "finished_at is null and due_at >= TIMESTAMP '{now}' and due_at < TIMESTAMP '{end}'"
        " and coalesce(supplement_count, 0) <= 1",
    ),
    "petition_on_time": (
        "petitions", "petition_code", "handled_at = due_at",
        "handled_at is null and due_at >= TIMESTAMP '{now}' and due_at < TIMESTAMP '{end}'",
    ),
    "pay_online": (
        "dossiers", "dossier_code", "payment = 'online'",
        "received_at >= TIMESTAMP '{start}' and finished_at is null"
        " and procedure_code in (select procedure_code from procedures where has_fee)"
        " and (payment is null or payment != 'online')",
    ),
    "digitise_components": (
        "dossiers", "dossier_code", "components_digitized = true",
        "received_at >= TIMESTAMP '{start}' and not coalesce(components_digitized, false)",
    ),
    "digitise_result": (
        "dossiers", "dossier_code", "result_digitized = true",
        "finished_at >= TIMESTAMP '{start}' and not coalesce(result_digitized, false)",
    ),
    "sync": (
        "dossiers", "dossier_code", "synced = true",
        "received_at >= TIMESTAMP '{start}' and not coalesce(synced, false)",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "data"
    generate(out, dossiers=6000, start=date(2026, 9, 1), end=NOW, seed=16)
    return out


def _apply(data: Path, into: Path, plans: list[Plan]) -> None:
    """Copy the data and change, for each plan, the records its actions name."""
    shutil.copytree(data, into)
    con = duckdb.connect()
    con.execute(f"create table dossiers as select * from '{data}/dossiers/*.parquet'")
    con.execute(f"create table petitions as select * from '{data}/petitions.parquet'")
    con.execute(f"create table procedures as select * from '{data}/procedures.parquet'")
    bounds = {"now": NOW, "start": PERIOD.start, "end": PERIOD.end}
    updates = []  # every record picked on the data as it stands, then changed
    for plan in plans:
        for action in plan.actions:
            table, key, change, where = CHANGES[action.lever]
            picked = con.execute(
                f"select {key} from {table} where unit_code = ? and "
                f"{where.format(**bounds)} order by {key} limit ?",
                [plan.unit_code, action.records],
            ).fetchall()
            assert len(picked) == action.records, (plan.unit_code, action.lever)
            updates.append((f"update {table} set {change} where {key} in (select unnest(?))",
                            [[p[0] for p in picked]]))  # fmt: skip
    for statement, parameters in updates:
        con.execute(statement, parameters)
    for part in (into / "dossiers").glob("*.parquet"):
        part.unlink()
    con.execute(f"copy dossiers to '{into}/dossiers/part-00000.parquet' (format parquet)")
    con.execute(f"copy petitions to '{into}/petitions.parquet' (format parquet)")


# QĐ 459: every lever changes its records equally, so every plan is exact; under the 766
# portal some levers do not (a result digitised counts only for a procedure with a paper
# result): those plans say so (``exact`` false) and the others must still be exact.
@pytest.mark.parametrize(
    ("index_ref", "exact"), [("dienbien-459-2023", True), ("vn-766-portal-2025", False)]
)
def test_every_plan_reaches_its_class_on_the_changed_records(
    month: Path, tmp_path: Path, index_ref: str, exact: bool
) -> None:
    index_set = load_index_set(index_ref)
    store = open_folder(month, "duckdb")
    now = score_one(store, index_set, PERIOD)
    tree = tree_of(store)
    units = [tree.get(u.unit_code) for u in now.units if u.converted is not None]
    plans = plan_units(store, index_set, PERIOD, units)
    below = [p for p in plans if p.next_class is not None]
    assert len(below) >= 10
    assert any(p.actions for p in below)
    _apply(month, tmp_path / "changed", below)
    end = replace(PERIOD, as_of=PERIOD.end)
    after = score_one(open_folder(tmp_path / "changed", "duckdb"), index_set, end)
    for plan in below:
        unit = after.unit(plan.unit_code)
        assert unit.converted is not None and plan.after is not None
        if exact or plan.exact:
            assert plan.exact
            assert unit.converted == plan.after, plan.unit_code
        if plan.reachable and plan.exact:
            assert unit.converted >= plan.baseline + plan.points_needed, plan.unit_code
            assert sum(a.points for a in plan.actions) == plan.after - plan.baseline
            assert plan.after >= plan.baseline + plan.points_needed
        elif exact:
            assert unit.grade_label != plan.next_class, plan.unit_code


def test_the_baseline_is_the_period_end_with_nothing_more_done(month: Path) -> None:
    index_set = load_index_set("dienbien-459-2023")
    store = open_folder(month, "duckdb")
    end = score_one(store, index_set, replace(PERIOD, as_of=PERIOD.end))
    units = [tree_of(store).get(u.unit_code) for u in end.units[:5]]
    for plan in plan_units(store, index_set, PERIOD, units):
        assert plan.baseline == end.unit(plan.unit_code).converted


def test_a_unit_that_cannot_reach_the_next_class_says_so(month: Path) -> None:
    index_set = load_index_set("dienbien-459-2023")
    store = open_folder(month, "duckdb")
    tree = tree_of(store)
    units = [tree.get(u.unit_code) for u in score_one(store, index_set, PERIOD).units]
    plans = [p for p in plan_units(store, index_set, PERIOD, units) if p.next_class]
    stuck = [p for p in plans if not p.reachable]
    assert stuck, "the generated month has a unit that cannot rise"
    for plan in stuck:
        assert plan.after is not None and plan.after < plan.baseline + plan.points_needed


def test_cli_plan_json_and_table(month: Path) -> None:
    index_set = load_index_set("dienbien-459-2023")
    store = open_folder(month, "duckdb")
    tree = tree_of(store)
    units = [tree.get(u.unit_code) for u in score_one(store, index_set, PERIOD).units]
    chosen = next(p for p in plan_units(store, index_set, PERIOD, units) if p.actions)
    runner = CliRunner()
    args = ["plan", "--data", str(month), "--period", "2026-10", "--unit", chosen.unit_code]
    out = runner.invoke(cli, [*args, "--format", "json"], env={"CHISO_NOW": NOW.isoformat()})
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["next_class"] == chosen.next_class
    assert doc["points_needed"] == pytest.approx(float(chosen.points_needed), abs=1e-6)
    assert [a["records"] for a in doc["actions"]] == [a.records for a in chosen.actions]
    assert {"indicator", "records", "points", "description"} <= set(doc["actions"][0])
    table = runner.invoke(cli, [*args, "--as-of", NOW.isoformat()])
    assert table.exit_code == 0, table.output
    assert "Kế hoạch lên hạng" in table.output
    assert chosen.actions[0].description.split(":")[0] in table.output
    assert Fraction(0) <= chosen.points_needed
