"""The ``chiso`` command line.  Thin: parse options, call the library, print.

This package's root group holds the general commands and registers those kept in the
sibling modules.  Every :class:`~chiso.errors.ChisoError` is translated once, by the
root group (:class:`~chiso.cli.common.ChisoGroup`): user errors are one sentence and a
hint with exit code 2, never a traceback.  The siblings never import this package
(the ``cli-package`` contract in ``.importlinter``).
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click

from chiso.api import _, __version__, format_vn
from chiso.cli.anomalies import anomalies
from chiso.cli.backup import backup_command, restore_command
from chiso.cli.check import check_report_command
from chiso.cli.click_words import speak_the_catalogue_language
from chiso.cli.common import (
    BACKEND_CHOICE,
    ChisoGroup,
    as_of_option,
    open_data,
    period_at,
    with_rounding,
)
from chiso.cli.compact import compact
from chiso.cli.imports import import_group, quality
from chiso.cli.national import national
from chiso.cli.plan import forecast, plan
from chiso.cli.portal import portal, reconcile_command
from chiso.cli.report import report
from chiso.cli.scores import scores
from chiso.cli.serve import serve
from chiso.cli.spark import spark_cluster
from chiso.cli.units import units_command
from chiso.errors import UserError


@click.group(cls=ChisoGroup)
@click.version_option(__version__, prog_name="chiso")
def cli() -> None:
    """chiso — chỉ số chất lượng phục vụ người dân, doanh nghiệp (766 / 459 / NĐ 61)."""
    from chiso.api import private_umask

    private_umask()  # data, reports, backups: readable by this account only


@cli.command()
@click.argument("files", nargs=-1)
@click.option("--list", "list_ids", is_flag=True, help="list the shipped index sets")
def validate(files: tuple[str, ...], list_ids: bool) -> None:
    """Check index-set files (or shipped ids); print every problem with file and line."""
    from chiso.api import shipped_ids, shipped_path, validate_file

    if list_ids or not files:
        for index_id in shipped_ids():
            click.echo(index_id)
        if list_ids:
            return
        files = tuple(shipped_ids())
    failed = False
    for ref in files:
        path = Path(ref) if Path(ref).exists() else shipped_path(ref)
        index_set, issues = validate_file(path)
        for issue in issues:
            click.echo(issue.render())
        if index_set is None:
            failed = True
        else:
            fine = _("{path}: valid ({count} indicators, {points} points at most)")
            count, points = len(index_set.indicators), format_vn(index_set.max_total)
            click.secho(fine.format(path=path, count=count, points=points), fg="green")
    if failed:
        sys.exit(2)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of index-set YAML (for editor completion)."""
    from chiso.api import IndexSetModel

    click.echo(
        json.dumps(IndexSetModel.model_json_schema(by_alias=True), indent=2, ensure_ascii=False)
    )


@cli.command()
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option(
    "--index-set",
    "index_ref",
    default="dienbien-459-2023",
    show_default=True,
    help="shipped id or path of an index_set.yaml",
)
@click.option(
    "--period",
    required=True,
    help="2024-11, 2024-Q4, 2024-H2, 2024, 2024-01-01..2024-03-31, live, ytd:2026",
)
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@click.option(
    "--level",
    default="all",
    show_default=True,
    help="all, province, kind:xa,phuong, subtree:CODE, units:CODE,CODE",
)
@click.option("--pooled", is_flag=True, help="pool each unit's subtree (766 style)")
@click.option("--rounding", default=None, help="override, e.g. half_up:1 or truncate:2")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@as_of_option
def score(
    data: str,
    index_ref: str,
    period: str,
    backend: str,
    level: str,
    pooled: bool,
    rounding: str | None,
    fmt: str,
    as_of: str | None,
) -> None:
    """Score, rank and classify every unit for a period (a running one up to the clock)."""
    from chiso.api import Level, load_index_set, score_one
    from chiso.cli.output import print_results

    the_period = period_at(period, as_of)
    index_set = with_rounding(load_index_set(index_ref), rounding)
    store = open_data(data, backend)
    result = score_one(store, index_set, the_period, level=Level.parse(level), pooled=pooled)
    print_results(result, index_set, fmt)
    if fmt == "table" and the_period.as_of < the_period.end:
        from chiso.api import instant_shown

        click.echo(
            _("As of {instant}: the period has not ended.").format(
                instant=instant_shown(the_period.as_of)
            )
        )


@cli.command()
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--index-set", "index_ref", default="dienbien-459-2023", show_default=True)
@click.option("--period", required=True)
@click.option("--unit", "unit_code", required=True, help="unit code or name")
@click.option("--indicator", required=True, help="indicator code, e.g. tien_do")
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@click.option("--limit", default=50, show_default=True, help="records shown per list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@as_of_option
def explain(
    data: str,
    index_ref: str,
    period: str,
    unit_code: str,
    indicator: str,
    backend: str,
    limit: int,
    fmt: str,
    as_of: str | None,
) -> None:
    """List the records behind an indicator: those in the numerator, those that cost points."""
    from chiso.api import explain as run_explain
    from chiso.api import load_index_set, tree_of
    from chiso.cli.output import print_explanation

    the_period = period_at(period, as_of)
    index_set = load_index_set(index_ref)
    store = open_data(data, backend)
    unit = tree_of(store).resolve(unit_code, on=the_period.start.date())
    explanation = run_explain(store, index_set, the_period, unit.unit_code, indicator, limit=limit)
    print_explanation(explanation, fmt)


@cli.command()
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--dossiers", default=20_000, show_default=True)
@click.option("--start", default="2026-01-01", show_default=True)
@click.option(
    "--end",
    default="2027-01-01",
    show_default=True,
    help="first day not covered, or an instant (2026-10-29T09:00): nothing happens from it on",
)
@click.option("--seed", default=2026, show_default=True)
@click.option(
    "--inject",
    "inject_rates",
    default=None,
    metavar="PATTERN=RATE,…",
    help="inject anomalies, e.g. same_minute=0.02,due_rush=0.1 or all=0.01 (docs/anomalies.md)",
)
@click.option(
    "--national",
    is_flag=True,
    help="all 34 provinces from 1/7/2025 (real communes; about 100M dossiers a year)",
)
@click.option(
    "--province",
    default=None,
    help="code or name of the province (default: CHISO_PROVINCE, else 11 = Điện Biên)",
)
def generate(
    out_dir: Path,
    dossiers: int,
    start: str,
    end: str,
    seed: int,
    inject_rates: str | None,
    national: bool,
    province: str | None,
) -> None:
    """Generate a synthetic province (default Điện Biên; or, --national, the 34) as Parquet."""
    from chiso.api import generate as run_generate
    from chiso.api import generate_national, horizon, inject, parse_rates
    from chiso.cli.output import progress_bar

    rates = parse_rates(inject_rates) if inject_rates else {}

    with progress_bar(_("Generating data"), total=dossiers) as advance:
        if national:
            summary = generate_national(
                out_dir, dossiers=dossiers, start=_date(start), end=_end(end), seed=seed,
                progress=advance,
            )  # fmt: skip
        else:
            summary = run_generate(
                out_dir, dossiers=dossiers, start=_date(start), end=_end(end), seed=seed,
                progress=advance, province=province,
            )  # fmt: skip
    click.echo(
        _(
            "{out}: {units} units ({producing} with dossiers), {procedures} procedures, "
            "{dossiers} dossiers, {ratings} ratings, {petitions} petitions, from {start} "
            "to {end} ({seconds} s)"
        ).format(
            out=summary.out_dir, units=format_vn(summary.units),
            producing=format_vn(summary.producing_units),
            procedures=format_vn(summary.procedures), dossiers=format_vn(summary.dossiers),
            ratings=format_vn(summary.ratings), petitions=format_vn(summary.petitions),
            start=f"{summary.start:%d/%m/%Y}", end=_day_or_instant(summary.end),
            seconds=format_vn(Decimal(f"{summary.seconds:.1f}")),
        )
    )  # fmt: skip
    if rates:
        counts = inject(out_dir, rates, seed=seed, stop=horizon(_end(end))[1])
        click.echo(
            _("Injected: {counts}").format(counts=", ".join(f"{k} {n}" for k, n in counts.items()))
        )


def _day_or_instant(value: date) -> str:
    """``--end`` as people read it: 01/01/2027, or 29/10/2026 09:00 when an instant."""
    return f"{value:%d/%m/%Y %H:%M}" if isinstance(value, datetime) else f"{value:%d/%m/%Y}"


def _end(text: str) -> date:
    """``--end``: a day, or an instant when a time is written."""
    if "T" not in text.upper() and " " not in text.strip():
        return _date(text)
    from chiso.api import parse_instant

    return parse_instant(text, name="--end")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("not a date: “{text}”").format(text=text), hint=_("write dates as YYYY-MM-DD")
        ) from None


@cli.command()
@click.option(
    "--dir", "demo_dir", default=".chiso-demo", show_default=True, type=click.Path(path_type=Path)
)
@click.option("--dossiers", default=60_000, show_default=True)
@click.option(
    "--period", default=None, help="default: the month of the demo's clock (29/10/2026 09:00)"
)
@click.option("--serve/--no-serve", default=False, help="then start the site on --port")
@click.option("--port", default=8000, show_default=True, type=int)
def demo(demo_dir: Path, dossiers: int, period: str | None, serve: bool, port: int) -> None:
    """Generate a synthetic Điện Biên province up to the demo's clock, score its month to
    date, write the reports and (with --serve) start the dashboard at the same clock on
    127.0.0.1 with demo accounts, August and September 2026 published."""
    from chiso.api import run_demo

    run_demo(demo_dir, dossiers=dossiers, period=period)
    if serve:
        from chiso.api import DEMO_NOW, DEMO_PUBLISHED
        from chiso.cli.serve import start_site

        start_site(
            data=str(demo_dir),
            home=demo_dir / "web",
            host="127.0.0.1",
            port=port,
            demo_accounts=True,
            now=DEMO_NOW,
            publish=DEMO_PUBLISHED,
        )


@cli.command()
@click.option(
    "--dossiers",
    default="1000000",
    show_default=True,
    help="comma-separated sizes, e.g. 1000000,10000000",
)
@click.option(
    "--dir", "bench_dir", default=".chiso-bench", show_default=True, type=click.Path(path_type=Path)
)
@click.option(
    "--pandas/--no-pandas",
    default=True,
    show_default=True,
    help="also time the straightforward pandas implementation",
)
@click.option(
    "--backend",
    type=BACKEND_CHOICE,
    default="duckdb",
    show_default=True,
    help="engine for the score and the floor query",
)
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1), help="best of N")
@click.option(
    "--import",
    "import_formats",
    default=None,
    help="instead: time importing an export of the first size, e.g. csv,xlsx",
)
@click.option(
    "--anomalies",
    is_flag=True,
    help="instead: recall/precision of every anomaly rule and its time (docs/anomalies.md)",
)
@click.option(
    "--forecast",
    is_flag=True,
    help="instead: backtest of chiso forecast, months cut at mid-month (docs/forecast.md)",
)
@click.option("--seeds", default="2026", show_default=True, help="with --forecast: seeds")
@click.option(
    "--national", is_flag=True, help="the 34 provinces (chiso generate --national) instead"
)
def bench(
    dossiers: str,
    bench_dir: Path,
    pandas: bool,
    backend: str,
    repeat: int,
    import_formats: str | None,
    anomalies: bool,
    forecast: bool,
    seeds: str,
    national: bool,
) -> None:
    """Time the full-year score against pandas and a one-query floor (ratios)."""
    from chiso.api import run_bench

    sizes = _whole_numbers(dossiers, "--dossiers")
    if forecast:
        from chiso.api import backtest, print_backtest

        chosen = _whole_numbers(seeds, "--seeds")
        print_backtest(backtest(bench_dir, dossiers=sizes[0], seeds=chosen))
        return
    if anomalies:
        from chiso.cli.anomalies import print_anomaly_bench

        print_anomaly_bench(bench_dir, size=sizes[0], repeat=repeat)
        return
    if import_formats is not None:
        from chiso.api import print_import_bench

        formats = tuple(f.strip() for f in import_formats.split(",") if f.strip())
        print_import_bench(bench_dir, size=sizes[0], formats=formats)
        return
    run_bench(
        bench_dir,
        sizes=sizes,
        with_pandas=pandas,
        backend=backend,  # type: ignore[arg-type]
        national=national,
        repeat=repeat,
    )


def _whole_numbers(text: str, name: str) -> list[int]:
    """``1000000,10_000_000`` → the numbers; anything else is a user error."""
    try:
        return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise UserError(
            _("{name}: {text!r} is not whole numbers separated by commas").format(
                name=name, text=text
            ),
            hint=_("e.g. {name} 1000000,10000000").format(name=name),
        ) from None


# The commands kept in the sibling modules (one line each).
import_group.add_command(scores)
import_group.add_command(portal)
cli.add_command(import_group)
cli.add_command(quality)
cli.add_command(check_report_command)
cli.add_command(report)
cli.add_command(reconcile_command)
cli.add_command(national)
cli.add_command(spark_cluster)
cli.add_command(serve)
cli.add_command(compact)
cli.add_command(anomalies)
cli.add_command(plan)
cli.add_command(forecast)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(units_command)


# click's usage errors in CHISO_LANG too; after the commands are defined, so that what
# click takes at definition (a path parameter's metavar) stays the reference's English
speak_the_catalogue_language()
