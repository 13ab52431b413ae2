"""``chiso check-report``: recompute a received report and list its inconsistencies."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

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
    from chiso.checks import check_report

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
        modes = ", ".join(f"{r.mode} {r.decimals}" for r in result.rounding)
        click.echo(
            f"{result.path}: {result.index_set}, period {result.period or '?'}, "
            f"reporting unit {result.reporting_unit or '?'}, rounding {modes}"
        )
        for finding in result.findings:
            colour = "red" if finding.level == "error" else "yellow"
            click.secho(finding.render(), fg=colour)
        click.echo(
            f"{len(result.errors)} error(s), {len(result.findings) - len(result.errors)} warning(s)"
        )
    sys.exit(1 if result.errors else 0)
