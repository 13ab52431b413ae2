"""``chiso check-report``: recompute a received report and list its inconsistencies."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from chiso.api import _, ngettext

if TYPE_CHECKING:
    from chiso.api import CheckResult

__all__ = ["check_report_command"]


@click.command("check-report")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--index-set", default=None, help="index set id or YAML file (default: detected)")
@click.option("--period", default=None, help="period evaluated, when the report does not print it")
@click.option("--unit", default=None, help="reporting unit (name or code), default: detected")
@click.option(
    "--rounding",
    type=click.Choice(["truncate", "half_up"]),
    default=None,
    help="rounding of the converted score (default: detected from the report)",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def check_report_command(
    file: Path,
    index_set: str | None,
    period: str | None,
    unit: str | None,
    rounding: str | None,
    fmt: str,
) -> None:
    """Check a received report's tables and narrative; exit 1 when it has errors."""
    from chiso.api import check_report

    result = check_report(
        file,
        index_set=index_set,
        period=period,
        unit=unit,
        rounding=rounding,  # type: ignore[arg-type]
    )
    if fmt == "json":
        doc = {
            "file": result.path,
            "index_set": result.index_set,
            "period": result.period,
            "reporting_unit": result.reporting_unit,
            "rounding": [{"mode": r.mode, "decimals": r.decimals} for r in result.rounding],
            "findings": [f.__dict__ for f in result.findings],
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(_header(result))
        for finding in result.findings:
            colour = "red" if finding.level == "error" else "yellow"
            click.secho(finding.render(), fg=colour)
        errors = len(result.errors)
        warnings = len(result.findings) - errors
        click.echo(
            ngettext("{n} error", "{n} errors", errors).format(n=errors)
            + ", "
            + ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)
        )
    sys.exit(1 if result.errors else 0)


def _header(result: CheckResult) -> str:
    """What the checker assumed, as an officer reads it: the index set's name, the period,
    the reporting unit's name and the rounding."""
    from chiso.api import UnitTree, load_index_set, period_shown

    tree = UnitTree.dienbien()
    unit = result.reporting_unit
    roundings = ", ".join(
        (_("truncated to {decimals} decimals") if r.mode == "truncate"
         else _("rounded half up to {decimals} decimals")).format(decimals=r.decimals)
        for r in result.rounding
    )  # fmt: skip
    return _(
        "{file}: {index_set}, period {period}, reporting unit {unit}, converted score {rounding}"
    ).format(
        file=result.path,
        index_set=load_index_set(result.index_set).name,
        period=period_shown(result.period) if result.period else "?",
        unit=tree.get(unit).name if unit and unit in tree else (unit or "?"),
        rounding=roundings or "?",
    )
