"""``chiso import …``: dossier, procedure, unit, petition and rating exports in."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from chiso.api import N_, _, column_label, format_vn, ngettext, value_label
from chiso.cli.common import BACKEND_CHOICE, ChisoGroup, open_data
from chiso.cli.output import progress_bar
from chiso.errors import UserError

SHOWN_ISSUES = 30
DEFAULT_INDEX_SET = "dienbien-459-2023"
INDEX_SET_HELP = "index set whose indicators an absent column affects (shipped id or path)"


@click.group(name="import", cls=ChisoGroup)
def import_group() -> None:
    """Import exports (CSV, XLSX, XLS, ODS) into a data folder or database, all or nothing."""


@import_group.command(name="profiles")
def profiles() -> None:
    """List the shipped header-mapping profiles."""
    from chiso.api import load_import_profile, shipped_profiles

    for ref in shipped_profiles():
        profile = load_import_profile(ref)
        click.echo(f"{profile.id:20} {profile.name}")


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Any]:
    """The shared progress bar on a terminal; nothing when output is redirected."""
    if not enabled:
        yield None
        return
    with progress_bar(_("Importing"), total=total) as advance:
        yield advance


def _print_result(result: Any, dry_run: bool) -> None:
    """What an import read, rejected and (would) write, in words an officer reads."""
    console = Console()
    for file, layout in result.layouts.items():
        ignored = layout.match.unmatched
        console.print(
            _(
                "{file}: profile [bold]{profile}[/], header on row {row}, {count} columns read"
            ).format(
                file=file,
                profile=layout.profile.name or layout.profile.id,
                row=layout.header_row,
                count=len(layout.match.columns),
            )
            + (_("; ignored: {headers}").format(headers=", ".join(ignored)) if ignored else "")
        )
    diff = result.diff
    table = Table(show_header=True, header_style="bold")
    heads = (_("Rows read"), _("Rejected"), _("Skipped"), _("Repeats"), _("New"), _("Changed"))
    for name in (*heads, _("Unchanged")):
        table.add_column(name, justify="right")
    rejected = len({(i.file, i.row) for i in result.issues})
    counts = (result.rows, rejected, result.skipped, result.repeats, diff.new, diff.changed)
    table.add_row(*(format_vn(n) for n in (*counts, diff.unchanged)))
    console.print(table)
    for column, count in diff.columns.items():
        console.print(
            "  "
            + ngettext(
                "{column}: {count} row changes", "{column}: {count} rows change", count
            ).format(column=column_label(column), count=format_vn(count))
        )
    for key, column, old, new in diff.samples[:10]:
        console.print(
            f"  {key}: {column_label(column)} {_shown(column, old)} → {_shown(column, new)}"
        )
    if dry_run:
        verb = _("Would write into {target} ({table}); nothing written (--dry-run).")
    elif result.written:
        verb = _("Written into {target} ({table}).")
    else:
        verb = _("Nothing to write into {target} ({table}): the data are already there.")
    console.print(verb.format(target=result.target, table=_table_label(result.table)))


def _shown(column: str, value: Any) -> str:
    """A changed value as people read it: dd/mm/yyyy HH:mm, Có/Không, labels for codes."""
    if value is None or value == "":
        return _("(empty)")
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y %H:%M"))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return format_vn(value) if isinstance(value, int) else str(value).replace(".", ",")
    return f"“{value_label(column, value)}”"


#: The tables an import writes, as an officer names them.
TABLE_LABELS = {
    "dossiers": N_("dossiers"),
    "procedures": N_("procedures"),
    "units": N_("units"),
    "petitions": N_("petitions"),
    "ratings": N_("ratings"),
}


def _table_label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table


def print_absent(absent: list[Any], title: str) -> None:
    """The absent columns, their meaning and the indicators they affect (Vietnamese)."""
    if not absent:
        return
    click.echo(f"{title} ({format_vn(len(absent))}):")
    for column in absent:
        head, effect = column.lines()
        click.echo(f"  - {head}\n    {effect}")


def _print_issues(issues: list[Any]) -> None:
    for issue in sorted(issues)[:SHOWN_ISSUES]:
        click.echo(issue.render(), err=True)
    if len(issues) > SHOWN_ISSUES:
        click.echo(
            _("… and {count} more (write them all with --rejects FILE.csv)").format(
                count=format_vn(len(issues) - SHOWN_ISSUES)
            )
        )


def _table_command(table: str) -> click.Command:
    @click.command(name=table, help=f"Import {table} from export files (see docs/import.md).")
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--into", required=True, help="data folder or database URL")
    @click.option("--profile", default=None, help="profile id or .yaml file (default: best fit)")
    @click.option("--skip-invalid", is_flag=True, help="import the valid rows, reject the rest")
    @click.option("--dry-run", is_flag=True, help="show what would change, write nothing")
    @click.option("--rejects", type=click.Path(path_type=Path), help="write rejected rows (CSV)")
    @click.option(
        "--index-set",
        "index_ref",
        default=DEFAULT_INDEX_SET,
        show_default=True,
        help=INDEX_SET_HELP,
    )
    @click.option(
        "--save-profile",
        type=click.Path(path_type=Path),
        help="draft a profile from the first file's headers, then stop",
    )
    def command(
        files: tuple[Path, ...],
        into: str,
        profile: str | None,
        skip_invalid: bool,
        dry_run: bool,
        rejects: Path | None,
        index_ref: str,
        save_profile: Path | None,
    ) -> None:
        from chiso.api import (
            ImportRejectedError,
            absent_from_layouts,
            estimate_rows,
            import_files,
            load_index_set,
        )

        if save_profile is not None:
            _draft(table, files[0], save_profile, profile)
            return
        index_set = load_index_set(index_ref)
        total = sum(estimate_rows(f) for f in files)
        try:
            with _progress(total, sys.stderr.isatty()) as advance:
                result = import_files(
                    table,
                    list(files),
                    into,
                    profile=profile,
                    skip_invalid=skip_invalid,
                    dry_run=dry_run,
                    rejects=rejects,
                    progress=advance,
                )
        except ImportRejectedError as exc:
            _print_issues(exc.issues)
            raise
        if result.issues:
            _print_issues(result.issues)
        _print_result(result, dry_run)
        absent = absent_from_layouts(table, result.layouts, index_set)
        print_absent(absent, _("Columns the files lack"))

    return command


def _draft(table: str, file: Path, out: Path, profile_ref: str | None) -> None:
    import itertools

    from chiso.api import SCAN_ROWS, draft_profile, load_import_profile, open_rows

    base = load_import_profile(profile_ref or "chiso")
    head = list(itertools.islice(open_rows(file).rows, SCAN_ROWS))
    if not head:
        raise UserError(
            _("{file}: the file is empty").format(file=file),
            hint=_("export the data again from the one-stop system"),
        )
    number, cells = max(head, key=lambda r: sum(1 for c in r[1] if c))
    headers = [c or "" for c in cells]
    match = base.match(table, headers)
    draft_profile(out, table=table, headers=headers, match=match, base=base)
    click.echo(
        _("{out}: drafted from the headers on row {row} ({count} headers to place)").format(
            out=out, row=number, count=len(match.unmatched)
        )
    )
    for header in match.unmatched:
        click.echo(_("  not recognised: {header}").format(header=header))


for _table in ("dossiers", "procedures", "units", "petitions", "ratings"):
    import_group.add_command(_table_command(_table))


@click.command()
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--period", required=True, help="e.g. 2026-10, 2026-Q3, live")
@click.option("--unit", "units", multiple=True, help="unit code (repeatable); default all")
@click.option("--rows", "show_rows", default=20, show_default=True, help="problem rows shown")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@click.option(
    "--index-set", "index_ref", default=DEFAULT_INDEX_SET, show_default=True, help=INDEX_SET_HELP
)
def quality(
    data: str,
    period: str,
    units: tuple[str, ...],
    show_rows: int,
    fmt: str,
    backend: str,
    index_ref: str,
) -> None:
    """Data-quality report: problems per unit, balance checks, columns without data."""
    import json

    from chiso.api import absent_columns, empty_columns, load_index_set, parse_period, tree_of
    from chiso.api import quality as run_quality

    index_set = load_index_set(index_ref)
    store = open_data(data, backend)
    chosen, selected = parse_period(period), list(units) or None
    rows, breaking = run_quality(store, chosen, units=selected)
    empty = empty_columns(store, chosen, units=selected)
    absent = absent_columns("dossiers", empty, index_set)
    if fmt == "json":
        payload = {
            "period": period,
            "units": [r.as_json() for r in rows],
            "rows": breaking,
            "absent_columns": [a.as_json() for a in absent],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    names = {u.unit_code: u.name for u in tree_of(store)}
    _print_quality(rows, breaking, names, chosen.shown, show_rows)
    print_absent(
        absent, _("Columns empty in every dossier of the period (absent from the export or blank)")
    )


def _print_quality(
    rows: list[Any], breaking: list[dict[str, Any]], names: dict[str, str], period: str, shown: int
) -> None:
    """The quality table by unit name, the balances and the problem rows, as an officer
    reads them (problems and balances by their sentences, not their codes)."""
    from chiso.api import BALANCES, PROBLEMS, UNCLASSIFIED, received_elsewhere_label

    console = Console(width=160)
    table = Table(title=_("Data quality — {period}").format(period=period), header_style="bold")
    table.add_column(_("Unit"))
    heads = (_("Total"), _("Carried over"), _("New"), _("Finished"), _("Early"), _("On time"))
    for head in (*heads, _("Late"), _("In progress")):
        table.add_column(head, justify="right")
    table.add_column(_("Problems"))
    table.add_column(_("Out of balance"))
    for r in rows:
        c = r.counts
        problems = "; ".join(f"{_(PROBLEMS[k][0])}: {n}" for k, n in r.problems.items())
        broken = "; ".join(f"{_(BALANCES[k][0])}: {n}" for k, n in r.broken.items())
        table.add_row(
            names.get(r.unit_code, r.unit_code),
            *(format_vn(c[k]) for k in ("handled", "carried_over", "received", "finished")),
            *(format_vn(c[k]) for k in ("early", "on_time", "late", "in_progress")),
            problems or "-",
            f"[red]{broken}[/]" if broken else "-",
        )
    console.print(table)
    for _name, text in BALANCES.values():
        console.print(_("  Balance checked: {check}").format(check=_(text)))
    for r in rows:
        if r.counts.get("received_elsewhere"):
            unit = names.get(r.unit_code, r.unit_code)
            console.print(f"  {unit}: {received_elsewhere_label(r.counts['received_elsewhere'])}")
    for row in breaking[:shown]:
        reason, hint = PROBLEMS.get(row["reason"], (UNCLASSIFIED, ""))
        unit = names.get(row["unit_code"], row["unit_code"])
        console.print(
            f"  {unit}, {row['dossier_code']}: {_(reason)}" + (f" ({_(hint)})" if hint else "")
        )
    if len(breaking) > shown:
        console.print(
            _("  … {count} more rows (--rows N or --format json)").format(
                count=format_vn(len(breaking) - shown)
            )
        )


@import_group.command(name="statistics")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", required=True, help="data folder or database URL")
@click.option("--period", required=True, help="the month the counts are for, e.g. 2026-10")
@click.option("--profile", default=None, help="profile id or .yaml file (default: best fit)")
@click.option("--dry-run", is_flag=True, help="show what would change, write nothing")
@click.option("--rejects", type=click.Path(path_type=Path), help="write rejected rows (CSV)")
def statistics(
    files: tuple[Path, ...],
    into: str,
    period: str,
    profile: str | None,
    dry_run: bool,
    rejects: Path | None,
) -> None:
    """Import per-unit monthly counts; they are scored like the dossiers they count."""
    from chiso.api import ImportRejectedError, import_statistics

    try:
        result = import_statistics(
            list(files), into, period=period, profile=profile, dry_run=dry_run, rejects=rejects
        )
    except ImportRejectedError as exc:
        _print_issues(exc.issues)
        raise
    d, r = result.dossiers, result.ratings
    text = (
        _(
            "{rows} unit rows → dossiers: {new} new, {changed} changed, {deleted} removed, "
            "{unchanged} unchanged; ratings: {ratings_new} new, {ratings_deleted} removed "
            "(would be written into {into}; nothing written, --dry-run)"
        )
        if dry_run
        else _(
            "{rows} unit rows → dossiers: {new} new, {changed} changed, {deleted} removed, "
            "{unchanged} unchanged; ratings: {ratings_new} new, {ratings_deleted} removed "
            "(written into {into})"
        )
    )
    click.echo(
        text.format(
            rows=format_vn(result.rows), new=format_vn(d.new), changed=format_vn(d.changed),
            deleted=format_vn(d.deleted), unchanged=format_vn(d.unchanged),
            ratings_new=format_vn(r.new), ratings_deleted=format_vn(r.deleted), into=into,
        )
    )  # fmt: skip
