"""``chiso national``: the provinces ranked by the national portal's scores, ours beside."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import click
from rich.table import Table

from chiso.api import _, format_vn, to_decimal
from chiso.cli.common import BACKEND_CHOICE, open_data

if TYPE_CHECKING:
    from chiso.api import NationalView

__all__ = ["national"]


INDEX_SET_HELP = "id or YAML file; default: the portal's set in force in the period"


@click.command("national")
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--period", required=True, help="e.g. 2026-03, 2026-Q1, 2026")
@click.option("--index-set", default=None, help=INDEX_SET_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
def national(data: str, period: str, index_set: str | None, fmt: str, backend: str) -> None:
    """Provinces ranked by their portal scores (latest capture), ours where dossiers exist."""
    from chiso.api import load_index_set, national_view, parse_period, portal_index_set

    store = open_data(data, backend, every_table_optional=True)
    chosen = parse_period(period)
    rules = load_index_set(index_set) if index_set else portal_index_set(chosen)
    view = national_view(store, rules, chosen)
    if fmt == "json":
        click.echo(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_table(view)


def _print_table(view: NationalView) -> None:
    from chiso.cli.output import console_for_output

    table = Table(
        title=_("National ranking by the national public service portal — {period}").format(
            period=view.period_label
        )
    )
    table.add_column(_("Rank"), justify="right")
    table.add_column(_("Province or city"), min_width=24)
    table.add_column(_("Total (portal)"), justify="right")
    for _group, _code, label in view.groups:
        table.add_column(label, justify="right", max_width=11)
    table.add_column(_("Taken from the portal at"), no_wrap=True)
    table.add_column(_("Total (province's system)"), justify="right", max_width=11)
    table.add_column(_("Rank (province's system)"), justify="right", max_width=11)
    for p in view.provinces:
        when = "-" if p.captured_at is None else f"{p.captured_at:%d/%m/%Y %H:%M}"
        groups = dict(p.portal_groups)
        table.add_row(
            str(p.rank), p.name, _points(p.portal_total),
            *(_points(groups.get(g)) for g, _, _ in view.groups), when,
            _points(p.ours_total), "-" if p.ours_rank is None else str(p.ours_rank),
        )  # fmt: skip
    console_for_output().print(table)


def _points(value: Decimal | Fraction | None) -> str:
    if value is None:
        return "-"
    shown = to_decimal(value) if isinstance(value, Fraction) else value
    return format_vn(shown, decimals=2)
