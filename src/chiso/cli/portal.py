"""``chiso import portal`` and ``chiso reconcile``: the national portal's scores vs ours."""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from chiso.api import N_, _, format_vn, ngettext, period_shown, to_decimal
from chiso.cli.common import BACKEND_CHOICE, open_data, rows_written
from chiso.errors import UserError

if TYPE_CHECKING:
    from chiso.api import Reconciliation

__all__ = ["portal", "reconcile_command"]

PORTAL_INDEX_SET_HELP = "id or YAML file; default: the portal's set in force in the period"
_MOMENTS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M", "%Y-%m-%d"]  # fmt: skip
#: How a line's status is printed (English ids; translated with ``_()`` when printed).
STATUS_LABELS = {
    "equal": N_("equal"),
    "differs": N_("[bold red]differs[/]"),
    "missing_ours": N_("[yellow]chiso has no score[/]"),
    "missing_portal": N_("[yellow]the portal has no score[/]"),
}


@click.command("portal")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into_text", required=True, help="data folder")
@click.option("--period", default=None, help="period of files whose saved request is absent")
@click.option("--index-set", default=None, help=PORTAL_INDEX_SET_HELP)
@click.option("--skip-unknown", is_flag=True, help="leave out rows of units not in the tree")
@click.option("--sheet", default=None, help="sheet of an Excel export to import")
@click.option("--captured-at", "captured_at", type=click.DateTime(_MOMENTS), default=None,
              help="capture time of files that record none (ISO 8601)")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="read and check everything, write nothing")
def portal(
    files: tuple[Path, ...],
    into_text: str,
    period: str | None,
    index_set: str | None,
    skip_unknown: bool,
    sheet: str | None,
    captured_at: datetime | None,
    dry_run: bool,
) -> None:
    """Read saved national-portal responses (JSON, Excel exports) into portal_scores."""
    from chiso.api import (
        DataSource,
        load_index_set,
        pair_requests,
        read_portal,
        tree_of_folder,
        write_portal,
    )

    if not DataSource.parse(into_text).is_folder:
        raise UserError(
            _("--into {into_text}: portal scores are written to a data folder only").format(
                into_text=into_text
            ),
            hint=_("give the data folder; chiso reconcile --data reads it"),
        )
    into = Path(into_text)
    chosen = load_index_set(index_set) if index_set else None
    tree = tree_of_folder(into)
    imports = [
        read_portal(f, index_set=chosen, tree=tree, period=period, skip_unknown=skip_unknown,
                    sheet=sheet, request=request, captured_at=captured_at)
        for f, request in pair_requests(files)
    ]  # fmt: skip
    written = write_portal(into, imports, dry_run=dry_run)
    diff = written.diff
    for note in written.kept_newer:
        click.echo(note)
    for item in imports:
        units_read = len({r["unit_code"] for r in item.records})
        left = (
            _("; left out {count}: {names}").format(
                count=len(item.skipped), names=", ".join(item.skipped[:5])
            )
            if item.skipped
            else ""
        )
        click.echo(
            _("{file}: {period}, {units} units{left}").format(
                file=item.path, period=period_shown(item.period), units=units_read, left=left
            )
        )
    click.echo(rows_written(diff, f"{into}/portal_scores", dry_run=dry_run))


@click.command("reconcile")
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--period", required=True, help="e.g. 2026-03, 2026-Q1, 2026")
@click.option("--index-set", default=None, help=PORTAL_INDEX_SET_HELP)
@click.option("--tolerance", type=Decimal, default=Decimal("0.015"), show_default=True,
              help="largest difference still counted as equal (points)")  # fmt: skip
@click.option("--by", "by", type=click.Choice(["unit", "group"]), default="unit",
              show_default=True, help="order: unit by unit, or group by group")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]),
              default="table")  # fmt: skip
@click.option("--output", "output", type=click.Path(path_type=Path), default=None,
              help="file to write (required with --format xlsx)")  # fmt: skip
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
def reconcile_command(
    data: str, period: str, index_set: str | None, tolerance: Decimal, by: str, fmt: str,
    output: Path | None, backend: str,
) -> None:  # fmt: skip
    """Portal group scores vs chiso's, per unit and group; exit 1 beyond the tolerance."""
    from chiso.api import load_index_set, parse_period, portal_index_set, reconcile

    if fmt == "xlsx" and output is None:
        raise UserError(
            _("--format xlsx writes an Excel file: --output is missing"),
            hint=_("add --output doi-chieu.xlsx"),
        )
    store = open_data(data, backend, every_table_optional=True)  # portal scores alone list
    chosen = parse_period(period)  # every row as missing ours
    rules = load_index_set(index_set) if index_set else portal_index_set(chosen)
    result = reconcile(store, rules, chosen, tolerance=tolerance)
    if by == "group":
        result = result.by_group()
    if fmt == "xlsx" and output is not None:
        from chiso.api import workbook

        output.write_bytes(workbook(result.to_json()))
        click.echo(
            ngettext(
                "wrote {count} reconciliation row into {output}",
                "wrote {count} reconciliation rows into {output}",
                len(result.rows),
            ).format(count=len(result.rows), output=output)
        )
    elif fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _write_csv(result)
    else:
        _print_table(result)
    if result.differs:
        sys.exit(1)


def _write_csv(result: Reconciliation) -> None:
    columns = ["unit_code", "unit_name", "group", "portal_code", "portal", "portal_max", "ours",
               "ours_max", "difference", "status", "cause", "notes", "source"]  # fmt: skip
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for row in (r.to_json() for r in result.rows):
        row["notes"] = "; ".join(row["notes"])
        writer.writerow(["" if row[c] is None else row[c] for c in columns])


def _print_table(result: Reconciliation) -> None:
    from chiso.cli.output import console_for_output

    title = _("Reconciliation with the DVCQG portal's scores — {period} (tolerance {tolerance})")
    table = Table(
        title=title.format(period=result.period_label, tolerance=format_vn(result.tolerance))
    )
    heads = ((_("Unit"), False), (_("Group"), False), (_("Portal"), True), ("chiso", True),
             (_("Difference"), True), (_("Status"), False), (_("Likely cause"), False),
             (_("Notes"), False))  # fmt: skip
    for head, numeric in heads:
        table.add_column(head, justify="right" if numeric else "left")
    for r in result.rows:
        table.add_row(
            f"{r.unit_name} ({r.unit_code})", f"{r.portal_code} ({r.group})",
            _points(r.portal, r.portal_max), _points(r.ours, r.ours_max),
            _difference(r.difference),
            _(STATUS_LABELS[r.status.value]), "" if r.cause is None else r.cause.value,
            "; ".join(r.notes),
        )  # fmt: skip
    console_for_output().print(table)


def _points(value: Decimal | Fraction | None, maximum: Decimal | Fraction | None) -> str:
    """``8,02/18``: points with 2 decimals over the maximum."""
    from chiso.api import maximum_text

    if value is None:
        return "-"
    shown = to_decimal(value) if isinstance(value, Fraction) else value
    return format_vn(shown, decimals=2) + ("" if maximum is None else "/" + maximum_text(maximum))


def _difference(value: Decimal | None) -> str:
    if value is None:
        return "-"
    shown = value.quantize(Decimal("0.01"))
    return format_vn(abs(shown) if shown == 0 else shown, decimals=2)
