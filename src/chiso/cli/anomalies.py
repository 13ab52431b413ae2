"""``chiso anomalies``: records that look gamed or broken, as questions to each unit."""

from __future__ import annotations

import json
from pathlib import Path

import click

from chiso.api import _, ngettext
from chiso.cli.common import BACKEND_CHOICE, as_of_option, open_data, period_at

_SEVERITY_COLOUR = {"high": "red", "medium": "yellow", "low": "cyan"}


@click.command(name="anomalies")
@click.option("--data", required=True, help="data folder (CSV/Parquet) or database URL")
@click.option("--period", required=True, help="e.g. 2026-10, 2026-Q3, live")
@click.option("--unit", "unit_name", default=None, help="unit name or code: it and its subtree")
@click.option(
    "--rules",
    "rules_file",
    default=None,
    type=click.Path(path_type=Path),
    help="the province's rule file merged over the shipped one (docs/anomalies.md)",
)
@click.option(
    "--index-set",
    "index_ref",
    default="dienbien-459-2023",
    show_default=True,
    help="index set whose indicators each rule names as affected",
)
@click.option("--limit", default=10, show_default=True, help="records listed per finding")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@as_of_option
def anomalies(
    data: str,
    period: str,
    unit_name: str | None,
    rules_file: Path | None,
    index_ref: str,
    limit: int,
    fmt: str,
    backend: str,
    as_of: str | None,
) -> None:
    """Findings per unit: records that look gamed or broken, each a question (never a score)."""
    from chiso.api import affected_indicators, find_anomalies, load_index_set, load_rules, tree_of

    the_period = period_at(period, as_of)
    rules = load_rules(rules_file)
    index_set = load_index_set(index_ref)
    store = open_data(data, backend)
    tree = tree_of(store)
    units = None
    if unit_name is not None:
        day = the_period.start.date()
        unit = tree.resolve(unit_name, on=day)
        units = {u.unit_code for u in tree.descendants(unit.unit_code, include_self=True)}
    report = find_anomalies(store, the_period, rules, units=units, limit=limit)
    names = {u.unit_code: u.name for u in tree}
    affects = {r.id: affected_indicators(r, index_set) for r in rules.rules.values()}
    if fmt == "json":
        payload = report.to_json(names, affects)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    short = {i.code: i.short_label or i.label for i in index_set.indicators}
    labels = {rule: [short.get(c, c) for c in codes] for rule, codes in affects.items()}
    _print_table(report, names, labels)


def _print_table(report: object, names: dict[str, str], affects: dict[str, list[str]]) -> None:
    """The findings per unit as an officer reads them: questions, records, indicators
    by their short labels (``affects``: rule id → labels); rule ids stay in the JSON."""
    from chiso.api import AnomalyReport

    assert isinstance(report, AnomalyReport)
    period = report.period.shown
    grouped = report.by_unit()
    if not grouped:
        click.echo(_("Unusual data — {period}: no findings.").format(period=period))
        return
    click.echo(
        ngettext(
            "Unusual data — {period}: {count} finding in {units} unit(s)",
            "Unusual data — {period}: {count} findings in {units} unit(s)",
            len(report.findings),
        ).format(period=period, count=len(report.findings), units=len(grouped))
    )
    click.echo(_("(to review, no points deducted)"))
    for code, findings in grouped.items():
        click.echo("")
        click.secho(f"{names.get(code, code)} ({code})", bold=True)
        for f in findings:
            sev = f.rule.severity
            click.secho(f"  [{sev.label}] ", fg=_SEVERITY_COLOUR[sev.value], nl=False)
            click.echo(f.question)
            shown = ", ".join(
                r.dossier_code
                + (
                    _(" at {instant}").format(instant=f"{r.rated_at:%d/%m/%Y %H:%M:%S}")
                    if r.rated_at
                    else ""
                )
                for r in f.records
            )
            more = (
                _(" … and {count} more").format(count=f.count - len(f.records))
                if f.count > len(f.records)
                else ""
            )
            kind = _("Ratings") if f.kind == "ratings" else _("Dossiers")
            click.echo(f"      {kind}: {shown}{more}")
            if affects.get(f.rule.id):
                click.echo(
                    _("      Indicators concerned: {labels}").format(
                        labels=", ".join(affects[f.rule.id])
                    )
                )


def print_anomaly_bench(bench_dir: Path, *, size: int, repeat: int) -> None:
    """Recall/precision per rule on injected data, false alarms on clean data, and each
    rule's time over ``size`` clean dossiers (folders kept in ``bench_dir``)."""
    import os
    from datetime import date

    from chiso.api import (
        generate,
        inject,
        measure_rules,
        open_folder,
        parse_rates,
        period_of,
        rule_seconds,
    )

    first, stop = date(2026, 1, 1), date(2026, 7, 1)
    start, end = period_of(first, stop)
    quality_size = min(size, 300_000)
    folders = {}
    for name, rates in (("clean", ""), ("injected", "all=0.01,due_rush=0.1")):
        folder = bench_dir / f"anomalies-{name}-{quality_size}"
        if not (folder / "procedures.parquet").is_file():
            generate(folder, dossiers=quality_size, start=first, end=stop, seed=18)
            if rates:
                inject(folder, parse_rates(rates), seed=18, stop=end)
        folders[name] = folder
    click.echo(
        _("Recall and precision — {count} dossiers, 01/2026–06/2026, all=0.01,due_rush=0.1").format(
            count=quality_size
        )
    )
    click.echo("| rule | injected | found | recall | precision | clean: found | clean: per 100k |")
    click.echo("|---|---:|---:|---:|---:|---:|---:|")
    clean = {
        s.rule: s
        for s in measure_rules(
            open_folder(folders["clean"], cubes=False), folders["clean"], start, end
        )
    }
    for s in measure_rules(
        open_folder(folders["injected"], cubes=False), folders["injected"], start, end
    ):
        c = clean[s.rule]
        click.echo(
            f"| {s.rule} | {s.injected} | {s.found} | {_pct(s.recall)} | {_pct(s.precision)} "
            f"| {c.found} | {c.found / quality_size * 100_000:.1f} |"
        )
    speed = bench_dir / f"anomalies-speed-{size}"
    if not (speed / "procedures.parquet").is_file():
        generate(speed, dossiers=size, start=date(2026, 1, 1), end=date(2027, 1, 1), seed=18)
    seconds = rule_seconds(speed, *period_of(date(2026, 1, 1), date(2027, 1, 1)), repeat=repeat)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    click.echo("")
    click.echo(
        _(
            "Time of each rule — {count} dossiers, the year 2026, DuckDB (best of {repeat}; "
            "{cores} cores, machine load {load})"
        ).format(count=size, repeat=repeat, cores=os.cpu_count(), load=load)
    )
    click.echo("| rule | seconds | CPU seconds |")
    click.echo("|---|---:|---:|")
    for rule, took in seconds.items():
        click.echo(f"| {rule} | {took.wall:.2f} | {took.cpu:.2f} |")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"
