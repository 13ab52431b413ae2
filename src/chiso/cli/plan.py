"""The commands that look ahead in a period: ``chiso plan`` (what it takes to rise a
class) and ``chiso forecast`` (where the month is heading)."""

from __future__ import annotations

import json
import sys

import click

from chiso.cli.common import BACKEND_CHOICE, as_of_option, open_data, period_at


@click.command("plan")
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--index-set", "index_ref", default="dienbien-459-2023", show_default=True)
@click.option("--period", required=True)
@click.option("--unit", "unit_code", required=True, help="unit code or name")
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@as_of_option
def plan(
    data: str,
    index_ref: str,
    period: str,
    unit_code: str,
    backend: str,
    fmt: str,
    as_of: str | None,
) -> None:
    """The fewest records to change for a unit to reach the next class by the period end
    (or to keep its class), each with the points it brings (docs/plan.md)."""
    from chiso.api import load_index_set, plan_unit

    the_period = period_at(period, as_of)
    index_set = load_index_set(index_ref)
    result = plan_unit(open_data(data, backend), index_set, the_period, unit_code)
    if fmt == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from chiso.cli.output import print_plan

    print_plan(result, {i.code: i.short_label or i.label for i in index_set.indicators})


@click.command("forecast")
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--index-set", "index_ref", default="dienbien-459-2023", show_default=True)
@click.option("--period", required=True, help="the running period, e.g. 2026-10")
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@click.option("--draws", default=300, show_default=True, help="Monte Carlo draws per unit")
@click.option("--seed", default=2026, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@as_of_option
def forecast(
    data: str,
    index_ref: str,
    period: str,
    backend: str,
    draws: int,
    seed: int,
    fmt: str,
    as_of: str | None,
) -> None:
    """Each unit's score at the period end and its likely range (80 %, docs/forecast.md)."""
    from chiso.api import Forecasts, Level, forecast_units, load_index_set, select_units, tree_of

    the_period = period_at(period, as_of)
    index_set = load_index_set(index_ref)
    store = open_data(data, backend)
    units = select_units(tree_of(store), Level("all"), the_period)
    found = forecast_units(store, index_set, the_period, units, draws=draws, seed=seed)
    if fmt == "json":
        doc = Forecasts(period=the_period.code, as_of=the_period.as_of.isoformat(),
                        units=[f.contract() for f in found])  # fmt: skip
        json.dump(doc.dump(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    from chiso.cli.output import print_forecast

    print_forecast(found, the_period.shown)
