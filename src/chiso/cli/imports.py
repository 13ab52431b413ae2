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
    with progress_bar("Đang nhập", total=total) as advance:
        yield advance


def _print_result(result: Any, dry_run: bool) -> None:
    console = Console()
    for file, layout in result.layouts.items():
        console.print(
            f"{file}: profile [bold]{layout.profile.id}[/], header row {layout.header_row}, "
            f"{len(layout.match.columns)} columns mapped"
            + (f"; ignored: {', '.join(layout.match.unmatched)}" if layout.match.unmatched else "")
        )
    diff = result.diff
    table = Table(show_header=True, header_style="bold")
    for name in ("rows read", "rejected", "skipped", "repeats", "new", "changed", "unchanged"):
        table.add_column(name, justify="right")
    rejected = len({(i.file, i.row) for i in result.issues})
    table.add_row(
        *(
            f"{n:,}".replace(",", ".")
            for n in (
                result.rows,
                rejected,
                result.skipped,
                result.repeats,
                diff.new,
                diff.changed,
                diff.unchanged,
            )
        )
    )
    console.print(table)
    for column, count in diff.columns.items():
        console.print(f"  {column}: {count} row(s) change")
    for key, column, old, new in diff.samples[:10]:
        console.print(f"  {key}: {column} {old!r} → {new!r}")
    verb = "would write" if dry_run else ("wrote" if result.written else "nothing to write in")
    console.print(f"{verb} {result.target} ({result.table})")


def print_absent(absent: list[Any], title: str) -> None:
    """The absent columns, their meaning and the indicators they affect (Vietnamese)."""
    if not absent:
        return
    click.echo(f"{title} ({len(absent)}):")
    for column in absent:
        head, effect = column.lines()
        click.echo(f"  - {head}\n    {effect}")


def _print_issues(issues: list[Any]) -> None:
    for issue in sorted(issues)[:SHOWN_ISSUES]:
        click.echo(issue.render(), err=True)
    if len(issues) > SHOWN_ISSUES:
        click.echo(f"… and {len(issues) - SHOWN_ISSUES} more (write them all with --rejects)")


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
        print_absent(absent, "Cột không có trong tệp")

    return command


def _draft(table: str, file: Path, out: Path, profile_ref: str | None) -> None:
    import itertools

    from chiso.api import SCAN_ROWS, draft_profile, load_import_profile, open_rows

    base = load_import_profile(profile_ref or "chiso")
    head = list(itertools.islice(open_rows(file).rows, SCAN_ROWS))
    if not head:
        raise UserError(f"{file}: the file is empty", hint="export the data again")
    number, cells = max(head, key=lambda r: sum(1 for c in r[1] if c))
    headers = [c or "" for c in cells]
    match = base.match(table, headers)
    draft_profile(out, table=table, headers=headers, match=match, base=base)
    click.echo(f"{out}: drafted from row {number} ({len(match.unmatched)} headers to place)")
    for header in match.unmatched:
        click.echo(f"  not recognised: {header}")


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

    from chiso.api import (
        BALANCES,
        PROBLEMS,
        absent_columns,
        empty_columns,
        load_index_set,
        parse_period,
        received_elsewhere_label,
    )
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
    console = Console(width=160)
    table = Table(title=f"Chất lượng dữ liệu — {period}", header_style="bold")
    heads = ["Đơn vị", "Tổng", "Kỳ trước", "Mới", "Đã GQ", "Trước hạn", "Đúng hạn", "Quá hạn"]
    for head in [*heads, "Đang GQ", "Vấn đề", "Lệch cân đối"]:
        table.add_column(head, justify="left" if head == "Đơn vị" else "right")
    for r in rows:
        c = r.counts
        problems = ", ".join(f"{k} {n}" for k, n in r.problems.items())
        broken = ", ".join(f"{k} {n}" for k, n in r.broken.items())
        table.add_row(
            r.unit_code,
            *(str(c[k]) for k in ("handled", "carried_over", "received", "finished")),
            *(str(c[k]) for k in ("early", "on_time", "late", "in_progress")),
            problems or "-",
            f"[red]{broken}[/]" if broken else "-",
        )
    console.print(table)
    for key, text in BALANCES.items():
        console.print(f"  {key}: {text}")
    for r in rows:
        if r.counts["received_elsewhere"]:
            console.print(
                f"  {r.unit_code}: {received_elsewhere_label(r.counts['received_elsewhere'])}"
            )
    for row in breaking[:show_rows]:
        reason = PROBLEMS.get(row["reason"], ("không phân loại được đúng/quá hạn", ""))[0]
        console.print(f"  {row['unit_code']} {row['dossier_code']}: {reason}")
    if len(breaking) > show_rows:
        console.print(f"  … {len(breaking) - show_rows} more rows (--rows N or --format json)")
    print_absent(absent, "Cột trống ở mọi hồ sơ của kỳ (vắng trong tệp xuất hoặc bỏ trống)")


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
    verb = "would write" if dry_run else "wrote"
    click.echo(
        f"{result.rows} unit rows → dossiers: {d.new} new, {d.changed} changed, "
        f"{d.deleted} removed, {d.unchanged} unchanged; ratings: {r.new} new, "
        f"{r.deleted} removed ({verb} {into})"
    )
