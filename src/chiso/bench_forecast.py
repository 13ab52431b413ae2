"""Backtest of ``chiso forecast`` (``chiso bench --forecast``): months of synthetic data
with drift, cut at mid-month, forecast on the cut and compared with the month's end.

For each seed a province is generated, then given a per-unit drift in lateness (a random
walk month to month: a unit's on-time share rises or falls, as real units do).  For each
month the data is cut at the 15th, 12:00 (what had happened by then: later receipts
dropped, later finishes, returns, results and ratings undone), the forecast is made on
the cut and compared with the month-end score of the whole data: the share of units
whose real score lies in the 80 % interval, and the mean absolute error of the forecast
and of "the score so far".
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import click
import duckdb

from chiso.domain.periods import Period
from chiso.engine.forecast import calibrated, forecast_units
from chiso.engine.runner import Level, score_one, select_units
from chiso.i18n import _
from chiso.spec.loader import load_index_set
from chiso.storage.cut import as_it_stood
from chiso.storage.store import open_folder
from chiso.storage.unitdata import tree_of
from chiso.synth.generator import generate

__all__ = ["MONTHS", "Outcome", "backtest", "drift", "print_backtest"]

MONTHS = tuple((2026, m) for m in range(4, 11))


@dataclass(frozen=True)
class Outcome:
    """One month of one seed: units compared, inside the interval, absolute errors."""

    seed: int
    year: int
    month: int
    units: int
    inside: int
    error: float  # sum of |forecast − real|
    error_so_far: float  # sum of |so far − real|
    seconds: float
    factor: float  # the calibration's widening (1: none)


def drift(data: Path, seed: int) -> None:
    """A per-unit lateness random walk by month: finishes pushed past or pulled to due."""
    con = duckdb.connect()
    con.execute("set threads = 1")  # random() repeats with its seed only on one thread
    con.execute(f"select setseed({(seed % 1000) / 1000})")
    con.execute(f"create table d as select * from '{data}/dossiers/*.parquet'")
    con.execute(
        "create table walk as select unit_code, month, sum(step) over "
        "(partition by unit_code order by month) as shift from ("
        " select unit_code, month, (random() - 0.5) * 0.16 as step from"
        " (select distinct unit_code from d order by unit_code), range(1, 13) m(month))"
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


def backtest(
    out: Path,
    *,
    dossiers: int = 40_000,
    seeds: Sequence[int] = (2026,),
    months: Sequence[tuple[int, int]] = MONTHS,
    index_ref: str = "dienbien-459-2023",
    draws: int = 300,
    calibrate: bool = True,
) -> list[Outcome]:
    """Every (seed, month) of the backtest; the generated data is kept under ``out``."""
    import time

    index_set = load_index_set(index_ref)
    found: list[Outcome] = []
    for seed in seeds:
        root = out / f"seed-{seed}"
        shutil.rmtree(root, ignore_errors=True)
        full = root / "full"
        last = max(months)
        end = date(last[0] + last[1] // 12, last[1] % 12 + 1, 1)
        generate(full, dossiers=dossiers, start=date(2026, 1, 1), end=end, seed=seed)
        drift(full, seed)
        whole = open_folder(full, "duckdb")
        for year, month in months:
            at = datetime(year, month, 15, 12)
            truth = score_one(whole, index_set, Period.of_month(year, month))
            period = Period.of_month(year, month, now=at)
            store = as_it_stood(whole, at)
            units = select_units(tree_of(store), Level("all"), period)
            start = time.perf_counter()
            forecasts = forecast_units(
                store, index_set, period, units, draws=draws, seed=seed, calibrate=calibrate
            )
            seconds = time.perf_counter() - start
            factor = 1.0
            if calibrate:
                factor = float(calibrated(store, index_set, period, draws=draws, seed=seed).factor)
            n = inside = 0
            err = err_so_far = 0.0
            for f in forecasts:
                real = truth.unit(f.unit_code).converted
                if real is None or f.forecast is None or f.so_far is None:
                    continue
                assert f.low is not None and f.high is not None
                n += 1
                inside += f.low <= real <= f.high
                err += abs(float(f.forecast - real))
                err_so_far += abs(float(f.so_far - real))
            found.append(Outcome(seed, year, month, n, inside, err, err_so_far, seconds, factor))
    return found


def _row(label: str, rows: Sequence[Outcome]) -> str:
    n = sum(r.units for r in rows)
    inside = sum(r.inside for r in rows)
    err = sum(r.error for r in rows) / n
    so_far = sum(r.error_so_far for r in rows) / n
    seconds = max(r.seconds for r in rows)
    low, high = min(r.factor for r in rows), max(r.factor for r in rows)
    factor = f"{low:.2f}" if low == high else f"{low:.2f}–{high:.2f}"
    return (
        f"| {label} | {n} | {inside / n:.1%} | {err:.2f} | {so_far:.2f} | {factor}"
        f" | {seconds:.1f} |"
    )


def print_backtest(rows: Sequence[Outcome]) -> None:
    """The table of docs/forecast.md: per seed and month, per seed, and overall."""
    click.echo(
        _(
            "| seed · month | units | within 80 % | MAE of the forecast | MAE of the score so "
            "far | widening factor | seconds |"
        )
    )
    click.echo("|---|---:|---:|---:|---:|---:|---:|")
    seeds = sorted({r.seed for r in rows})
    for seed in seeds:
        mine = [r for r in rows if r.seed == seed]
        for r in mine:
            click.echo(_row(f"{seed} · {r.month:02}/{r.year}", [r]))
        click.echo(_row("**" + _("{seed} · total").format(seed=seed) + "**", mine))
    click.echo(_row("**" + _("overall") + "**", rows))
