"""Backtest of ``chiso forecast``: months of synthetic data with drift, cut at mid-month.

For each month, the generated province gets a per-unit drift in lateness (a random walk
month to month: a unit's on-time share rises or falls, as real units do), the data is
cut at the 15th, 12:00 (what had happened by then: later receipts dropped, later
finishes, payments of unfinished dossiers and ratings undone), the forecast is made on
the cut and compared with the month-end score of the whole data.

    .venv/bin/python benchmarks/forecast_backtest.py --out /tmp/backtest

Prints the table of docs/forecast.md: per month, the share of units whose real score is
inside the 80 % interval and the mean absolute error of the forecast and of "the score
so far".
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb

from chiso.domain.periods import Period
from chiso.engine.forecast import forecast_units
from chiso.engine.runner import score_one
from chiso.engine.store import open_folder
from chiso.engine.unitdata import tree_of
from chiso.spec.loader import load_index_set
from chiso.synth.generator import generate

MONTHS = [(2026, m) for m in range(4, 11)]


def drift(data: Path, seed: int) -> None:
    """A per-unit lateness random walk by month: finishes pushed past or pulled to due."""
    con = duckdb.connect()
    con.execute(f"select setseed({(seed % 1000) / 1000})")
    con.execute(f"create table d as select * from '{data}/dossiers/*.parquet'")
    con.execute(
        "create table walk as select unit_code, month, sum(step) over "
        "(partition by unit_code order by month) as shift from ("
        " select unit_code, month, (random() - 0.5) * 0.16 as step from"
        " (select distinct unit_code from d), range(1, 13) m(month))"
    )
    con.execute(
        "update d set finished_at = case"
        " when w.shift > 0 and d.finished_at <= d.due_at and random() < w.shift"
        "  then d.due_at + interval 2 day"
        " when w.shift < 0 and d.finished_at > d.due_at and random() < -w.shift * 4"
        "  then d.due_at else d.finished_at end"
        " from walk w where w.unit_code = d.unit_code and w.month = month(d.due_at)"
        " and d.finished_at is not null and d.due_at is not null"
    )
    for part in (data / "dossiers").glob("*.parquet"):
        part.unlink()
    con.execute(f"copy d to '{data}/dossiers/part-00000.parquet' (format parquet)")


def cut(data: Path, into: Path, at: datetime) -> None:
    """The data as it stood at ``at``."""
    shutil.copytree(data, into)
    con = duckdb.connect()
    ts = f"TIMESTAMP '{at.isoformat(sep=' ')}'"
    con.execute(
        f"copy (select * replace ("
        f" case when finished_at < {ts} then finished_at end as finished_at,"
        f" case when returned_at < {ts} then returned_at end as returned_at,"
        f" case when finished_at < {ts} then result_digitized else false end"
        f"  as result_digitized)"
        f" from '{data}/dossiers/*.parquet' where received_at < {ts})"
        f" to '{into}/dossiers/part-00000.parquet' (format parquet)"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dossiers", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--index-set", default="dienbien-459-2023")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    full = args.out / "full"
    generate(full, dossiers=args.dossiers, start=date(2026, 1, 1), end=date(2026, 11, 1),
             seed=args.seed)  # fmt: skip
    drift(full, args.seed)
    index_set = load_index_set(args.index_set)
    print("| tháng | đơn vị | trong khoảng 80 % | MAE dự báo | MAE điểm hiện tại |")
    print("|---|---:|---:|---:|---:|")
    total = [0, 0, 0.0, 0.0]
    for year, month in MONTHS:
        at = datetime(year, month, 15, 12)
        part = args.out / f"cut-{year}-{month:02}"
        cut(full, part, at)
        truth = score_one(open_folder(full, "duckdb"), index_set, Period.of_month(year, month))
        store = open_folder(part, "duckdb")
        period = Period.of_month(year, month, now=at)
        tree = tree_of(store)
        units = [tree.get(u.unit_code) for u in truth.units if u.converted is not None]
        found = forecast_units(store, index_set, period, units, seed=args.seed)
        inside = n = 0
        err_f = err_s = 0.0
        for f in found:
            real = truth.unit(f.unit_code).converted
            if real is None or f.forecast is None or f.so_far is None:
                continue
            n += 1
            inside += f.low <= real <= f.high  # type: ignore[operator]
            err_f += abs(float(f.forecast - real))
            err_s += abs(float(f.so_far - real))
        total = [total[0] + inside, total[1] + n, total[2] + err_f, total[3] + err_s]
        print(f"| {month:02}/{year} | {n} | {inside / n:.0%} | {err_f / n:.2f} | {err_s / n:.2f} |")
        assert replace(period, as_of=period.end)  # the period is a month judged mid-way
    inside, n, err_f, err_s = total
    print(f"| tổng | {n} | {inside / n:.0%} | {err_f / n:.2f} | {err_s / n:.2f} |")


if __name__ == "__main__":
    main()
