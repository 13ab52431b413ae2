"""``scores``: import received score tables as reported scores (``chiso import scores``)."""

from __future__ import annotations

from pathlib import Path

import click

from chiso.api import _, period_shown
from chiso.cli.common import rows_written
from chiso.errors import UserError

__all__ = ["scores"]


@click.command("scores")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(path_type=Path), help="data folder")
@click.option("--index-set", required=True, help="index set id or YAML file")
@click.option("--period", default=None, help="period evaluated when the report does not print it")
@click.option("--unit", default=None, help="reporting unit (name or code), default: detected")
@click.option("--dry-run", is_flag=True, help="read and check everything, write nothing")
def scores(
    files: tuple[Path, ...],
    into: Path,
    index_set: str,
    period: str | None,
    unit: str | None,
    dry_run: bool,
) -> None:
    """Read annex score tables (TXT, DOCX, XLSX, PDF) into reported_scores, all or nothing."""
    from chiso.api import load_index_set, read_scores, write_scores

    chosen = load_index_set(index_set)
    imports = []
    for f in files:
        try:
            imports.append(read_scores(f, index_set=chosen, period=period, unit=unit))
        except UserError as err:
            raise _portal_export(f, err) or err from None
    diff = write_scores(into, imports, dry_run=dry_run)
    from chiso.api import UnitTree

    names = {u.unit_code: u.name for u in UnitTree.dienbien()}  # read_scores' default tree
    for item in imports:
        units = len({r["unit_code"] for r in item.records})
        reporter = item.reporting_unit
        reporter = names.get(reporter, reporter) if reporter else _("not stated")
        click.echo(
            _("{file}: {units} units, {period}, reported by {unit}").format(
                file=item.path, units=units, period=period_shown(item.period),
                unit=reporter,
            )
        )  # fmt: skip
    click.echo(rows_written(diff, f"{into}/reported_scores", dry_run=dry_run))


def _portal_export(path: Path, err: UserError) -> UserError | None:
    """The error of a score import given the portal's own score export, which ``chiso import
    portal`` reads: the same message, with a hint that says so (None: another file)."""
    from chiso.api import portal_score_sheets

    sheets = portal_score_sheets(path)
    if not sheets:
        return None
    return UserError(
        err.message,
        hint=_(
            "this is the national portal's score export (report_tinh_766_service), one period "
            "a sheet ({sheets}): import it with chiso import portal {path} --into FOLDER "
            '--sheet "{sheet}" --period PERIOD'
        ).format(sheets=", ".join(sheets), path=path, sheet=sheets[0]),
    )
