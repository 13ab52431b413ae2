"""`chiso forecast`: the month-end forecast and its backtest.

The per-record atoms are checked by an independent route: the records are changed in a
copy of the data by SQL and the engine scores the copy at the period end.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import duckdb
import numpy as np
import pytest
from click.testing import CliRunner

from chiso.bench_forecast import backtest
from chiso.cli import cli
from chiso.domain.periods import Period
from chiso.domain.rounding import fraction
from chiso.engine.forecast import (
    IN_PROGRESS,
    PROGRESS_STATES,
    Forecast,
    calibrated,
    forecast_units,
)
from chiso.engine.forecast_calibration import CAP, MIN_UNITS, calibration, widen
from chiso.engine.forecast_rows import contributions
from chiso.engine.goalseek import basis_score, what_if
from chiso.engine.runner import Level, score_one, select_units
from chiso.spec.loader import load_index_set
from chiso.storage.cut import as_it_stood
from chiso.storage.store import open_folder
from chiso.storage.unitdata import tree_of
from chiso.synth.generator import generate

NOW = datetime(2026, 10, 15, 12, 0)
PERIOD = Period.of_month(2026, 10, now=NOW)
INDEX = load_index_set("dienbien-459-2023")


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("forecast") / "data"
    generate(data, dossiers=3000, start=date(2026, 6, 1), end=NOW, seed=31)
    return data


def _units(data: Path, count: int = 8) -> list:  # type: ignore[type-arg]
    store = open_folder(data, "duckdb")
    tree = tree_of(store)
    result = score_one(store, INDEX, PERIOD)
    return [tree.get(u.unit_code) for u in result.units if u.converted is not None][:count]


def test_forecast_shape_and_determinism(month: Path) -> None:
    store = open_folder(month, "duckdb")
    units = _units(month)
    first = forecast_units(store, INDEX, PERIOD, units, draws=80, seed=5)
    again = forecast_units(store, INDEX, PERIOD, units, draws=80, seed=5)
    other = forecast_units(store, INDEX, PERIOD, units, draws=80, seed=6)
    assert [f.to_json() for f in first] == [f.to_json() for f in again]
    assert [f.to_json() for f in first] != [f.to_json() for f in other]
    for f in first:
        doc = f.to_json()
        assert {"unit_code", "forecast", "low", "high", "so_far"} <= set(doc)
        assert f.low is not None and f.high is not None and f.forecast is not None
        assert f.low <= f.forecast <= f.high
    assert any(f.high - f.low > 0 for f in first)  # type: ignore[operator]
    assert any(f.in_progress for f in first) and any(f.expected_intake > 0 for f in first)


def test_a_month_already_over_is_its_final_score(month: Path) -> None:
    store = open_folder(month, "duckdb")
    over = Period.of_month(2026, 9, now=NOW)
    units = _units(month)
    truth = score_one(store, INDEX, over)
    for f in forecast_units(store, INDEX, over, units, draws=50):
        real = truth.unit(f.unit_code).converted
        assert f.forecast == f.low == f.high == f.so_far == real


def test_in_progress_records_finished_on_time_score_as_the_engine_says(
    month: Path, tmp_path: Path
) -> None:
    """Every dossier in progress finished at its due time, by SQL on a copy, scores as
    the unit's atoms plus the records' on-time deltas."""
    store = open_folder(month, "duckdb")
    units = _units(month)
    codes = [u.unit_code for u in units]
    rows = contributions(store, INDEX, PERIOD, codes, IN_PROGRESS, PROGRESS_STATES, new=False)
    copy = tmp_path / "copy"
    shutil.copytree(month, copy)
    con = duckdb.connect()
    parts = sorted((copy / "dossiers").glob("*.parquet"))
    con.execute(f"create table d as select * from read_parquet({[str(p) for p in parts]})")
    con.execute(
        "update d set finished_at = due_at, result_digitized = true where finished_at is null"
        f" and due_at >= TIMESTAMP '{NOW}' and due_at < TIMESTAMP '2026-11-01'"
        " and coalesce(supplement_count, 0) <= 1"
    )
    for p in parts:
        p.unlink()
    con.execute(f"copy d to '{copy}/dossiers/part-00000.parquet' (format parquet)")
    truth = score_one(open_folder(copy, "duckdb"), INDEX, replace(PERIOD, as_of=PERIOD.end))
    models = what_if(store, INDEX, PERIOD, units, ())
    checked = 0
    for model in models:
        found = rows.get(model.unit.unit_code)
        moved = {}
        if found is not None:
            checked += len(found.received)
            moved = dict(zip(found.keys, found.values[2].sum(axis=0).tolist(), strict=True))
        end = model.result({}, extra=moved)
        assert basis_score(INDEX, end) == truth.unit(model.unit.unit_code).converted
    assert checked > 0


def test_a_unit_without_records_gets_a_forecast(month: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(month, copy)
    units = _units(month, 3)
    gone = units[0].unit_code
    con = duckdb.connect()
    parts = sorted((copy / "dossiers").glob("*.parquet"))
    con.execute(
        f"copy (select * from read_parquet({[str(p) for p in parts]}) where unit_code != '{gone}')"
        f" to '{copy}/dossiers.parquet' (format parquet)"
    )
    shutil.rmtree(copy / "dossiers")
    store = open_folder(copy, "duckdb")
    found = {f.unit_code: f for f in forecast_units(store, INDEX, PERIOD, units, draws=50)}
    empty = found[gone]
    assert empty.in_progress == 0 and empty.expected_intake == 0
    assert empty.forecast is not None and empty.low == empty.forecast == empty.high
    assert any(f.low != f.high for c, f in found.items() if c != gone)


def test_cli_forecast_json_honours_the_clock(month: Path) -> None:
    runner = CliRunner()
    args = ["forecast", "--data", str(month), "--period", "2026-10", "--draws", "40"]
    by_env = runner.invoke(cli, [*args, "--format", "json"], env={"CHISO_NOW": NOW.isoformat()})
    assert by_env.exit_code == 0, by_env.output
    doc = json.loads(by_env.output)
    assert doc["period"] == "2026-10" and doc["as_of"].startswith("2026-10-15T12:00")
    assert doc["units"] and {"unit_code", "forecast", "low", "high"} <= set(doc["units"][0])
    by_flag = runner.invoke(cli, [*args, "--format", "json", "--as-of", NOW.isoformat()])
    assert json.loads(by_flag.output) == doc
    later = runner.invoke(cli, [*args, "--format", "json", "--as-of", "2026-10-25T12:00"])
    assert json.loads(later.output)["units"] != doc["units"]
    table = runner.invoke(cli, [*args, "--as-of", NOW.isoformat()])
    assert table.exit_code == 0 and "Dự báo điểm cuối kỳ" in table.output


def _cut_by_sql(data: Path, into: Path, at: datetime) -> None:
    """The data as it stood at ``at``, by SQL on a copy (the independent route)."""
    shutil.copytree(data, into)
    con = duckdb.connect()
    ts = f"TIMESTAMP '{at.isoformat(sep=' ')}'"
    shutil.rmtree(into / "dossiers")
    con.execute(
        f"copy (select * replace ("
        f" case when finished_at < {ts} then finished_at end as finished_at,"
        f" case when returned_at < {ts} then returned_at end as returned_at,"
        f" case when finished_at < {ts} then result_digitized else false end"
        f"  as result_digitized)"
        f" from '{data}/dossiers/*.parquet' where received_at < {ts})"
        f" to '{into}/dossiers.parquet' (format parquet)"
    )
    con.execute(
        f"copy (select * replace (case when handled_at < {ts} then handled_at end"
        f" as handled_at) from '{data}/petitions.parquet' where received_at < {ts})"
        f" to '{into}/petitions.parquet' (format parquet)"
    )
    for part in (into / "ratings").glob("*.parquet"):
        con.execute(
            f"copy (select * from '{part}' where rated_at < {ts}) to '{part}' (format parquet)"
        )


def test_the_data_as_it_stood(month: Path, tmp_path: Path) -> None:
    at = datetime(2026, 9, 15, 12)
    _cut_by_sql(month, tmp_path / "cut", at)
    by_sql = open_folder(tmp_path / "cut", "duckdb")
    store = open_folder(month, "duckdb")
    view = as_it_stood(store, at)
    keys = {"dossiers": ["dossier_code"], "petitions": ["petition_code"],
            "ratings": ["dossier_code", "rated_at"]}  # fmt: skip
    for name, key in keys.items():
        want = by_sql.to_pyarrow(by_sql.table(name).order_by(key)).to_pylist()
        got = view.to_pyarrow(view.table(name).order_by(key)).to_pylist()
        assert got == want and want, name
    # a cut of a later cut is the same view as the cut of the data
    assert as_it_stood(as_it_stood(store, NOW), at) is view
    assert as_it_stood(view, NOW) is view


def test_the_intervals_are_widened_by_the_previous_month(month: Path, tmp_path: Path) -> None:
    """The factor is learnt from September forecast on the data as it stood at its 15th
    12:00 (cut by SQL on a copy) against September's final score."""
    store = open_folder(month, "duckdb")
    units = select_units(tree_of(store), Level("all"), PERIOD)
    drawn = forecast_units(store, INDEX, PERIOD, units, draws=60, calibrate=False)
    widened = forecast_units(store, INDEX, PERIOD, units, draws=60)
    september = Period.of_month(2026, 9, now=datetime(2026, 9, 15, 12))
    _cut_by_sql(month, tmp_path / "cut", september.as_of)
    past = forecast_units(open_folder(tmp_path / "cut", "duckdb"), INDEX, september, units,
                          draws=60, calibrate=False)  # fmt: skip
    truth = score_one(store, INDEX, Period.of_month(2026, 9))
    ratios = []
    for f in past:
        real = truth.unit(f.unit_code).converted
        if real is None or f.forecast is None:
            continue
        assert f.low is not None and f.high is not None
        half = f.high - f.forecast if real >= f.forecast else f.forecast - f.low
        if half > 0:
            ratios.append(abs(real - f.forecast) / half)
    ratios.sort()
    assert len(ratios) >= MIN_UNITS
    expected = min(max(ratios[math.ceil(0.8 * (len(ratios) + 1)) - 1], Fraction(1)), CAP)
    found = calibrated(store, INDEX, PERIOD, draws=60)
    assert found.factor == expected > 1 and found.at == september.as_of
    for a, b in zip(drawn, widened, strict=True):
        assert a.forecast == b.forecast and a.so_far == b.so_far
        if a.forecast is not None and a.low is not None and a.high is not None:
            assert b.low == max(0, a.forecast - expected * (a.forecast - a.low))
            top = fraction(INDEX.scale)
            assert b.high == min(top, a.forecast + expected * (a.high - a.forecast))


def test_calibration_factor() -> None:
    def f(median: int, low: int, high: int) -> Forecast:
        m, lo, hi = Fraction(median), Fraction(low), Fraction(high)
        return Forecast("u", "u", m, m, lo, hi, 0, 0.0)

    # 19 units, the real score at 0, 0.1, …, 1.8 half-widths above the median
    pairs = [(f(50, 40, 60), Fraction(50) + Fraction(k)) for k in range(19)]
    found = calibration(pairs, None)
    # rank ⌈0.8 · 20⌉ = 16: ratio 15/10
    assert found.factor == Fraction(3, 2) and found.units == 19 and found.inside == 11
    assert not found.fallback
    # the lower side counts against the lower half-width
    lower = [(f(50, 48, 60), Fraction(50) - Fraction(k, 5)) for k in range(19)]
    assert calibration(lower, None).factor == Fraction(3, 2)
    # never narrower, never beyond the cap; zero-width intervals do not count
    assert calibration([(f(50, 40, 60), Fraction(50))] * 12, None).factor == 1
    assert calibration([(f(50, 40, 60), Fraction(95))] * 12, None).factor == CAP
    few = calibration(
        [(f(50, 40, 60), Fraction(70))] * 5 + [(f(50, 50, 50), Fraction(60))] * 9, None
    )
    assert few.fallback and few.factor == 1 and few.units == 5
    # widened around the median, within 0 and the best score
    assert widen(f(50, 40, 60), Fraction(2), Fraction(100)).low == 30
    assert widen(f(10, 2, 95), Fraction(2), Fraction(100)) == replace(
        f(10, 2, 95), low=Fraction(0), high=Fraction(100)
    )


def test_backtest_meets_its_goal(tmp_path: Path) -> None:
    """Four months cut at mid-month on a small province with drift: the calibrated
    intervals hold the real month-end score at least 80 % of the time (less 3 points for
    the sample of 241 unit-months: 83 % here, 75 % with the intervals as drawn) and the
    forecast beats the score so far.  The drift given to the data is seeded and drawn on
    one DuckDB thread, so the sample is the same every run."""
    rows = backtest(
        tmp_path, dossiers=12_000, seeds=(17,), months=[(2026, m) for m in range(6, 10)], draws=150
    )
    n = sum(r.units for r in rows)
    coverage = sum(r.inside for r in rows) / n
    assert coverage >= 0.77, coverage
    assert all(r.factor >= 1 for r in rows) and any(r.factor > 1 for r in rows)
    assert sum(r.error for r in rows) < sum(r.error_so_far for r in rows)
    assert np.isfinite(coverage)
