"""Printing for the CLI: ranking tables (rich), CSV, JSON, progress bars."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from chiso.api import (
    Explanation,
    Forecast,
    IndexSet,
    Plan,
    ResultSet,
    UnitResult,
    _,
    column_label,
    format_vn,
    period_shown,
    points_text,
    round_score,
    value_label,
)

GRADE_STYLE = {
    "excellent": "bold green",
    "good": "cyan",
    "fair": "yellow",
    "average": "dark_orange",
    "weak": "bold red",
}


def _cell(unit: UnitResult, code: str) -> str:
    ind = unit.indicator(code)
    if not ind.applicable or ind.points is None:
        return "-"
    return _plain(ind.points, 2)


def console_for_output() -> Console:
    """A console that is wide enough for annex tables when output is not a terminal."""
    return Console() if sys.stdout.isatty() else Console(width=160)


def ranking_table(result: ResultSet, index_set: IndexSet) -> Table:
    """A rich ranking table: group points, total, converted score and grade per unit."""
    table = Table(title=f"{index_set.issuer} — {period_shown(result.period)}")
    table.add_column(_("Rank"), justify="right")
    blocks = index_set.rank_blocks
    if blocks:  # departments and communes are also ranked each among themselves
        table.add_column(_("Rank in block"), justify="right", max_width=8)
    table.add_column(_("Unit"), min_width=14)
    groups = [g for g in index_set.groups if g.max]
    for group in groups:
        head = _("{label} ({points} pts)").format(
            label=group.short_label or group.label, points=format_vn(group.max)
        )
        table.add_column(head, justify="right", max_width=11)
    table.add_column(_("Total"), justify="right")
    table.add_column(_("Converted"), justify="right")
    table.add_column(_("Class"), no_wrap=True)
    for unit in result.units:
        rank = f"{unit.rank}{'=' if unit.tied else ''}" if unit.rank else "-"
        ranks = (rank, str(unit.block_rank or "-")) if blocks else (rank,)
        if not unit.scored:  # no data: no points, score or class (chiso.engine.coverage)
            dashes = ["-"] * (len(groups) + 2)
            no_data = _("No data")  # not inside the f-string: pybabel would not see it
            table.add_row(*ranks, unit.name, *dashes, f"[dim]{no_data}[/]")
            continue
        style = GRADE_STYLE.get(unit.grade or "", "")
        points = unit.group_points()
        table.add_row(
            *ranks,
            unit.name,
            *[_number(points.get(g.code)) for g in groups],
            f"{_number(unit.total)}/{_number(unit.max)}",
            format_vn(result.rounded(unit.converted)),
            f"[{style}]{unit.grade_label or '-'}[/]",
        )
    return table


def _plain(value: Fraction, decimals: int) -> str:
    """A value with at most ``decimals`` digits, trailing zeros dropped: 30, 8,5, 4,52."""
    text = format(round_score(value, mode="half_up", decimals=decimals), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return format_vn(Decimal(text))


def _number(value: Fraction | None) -> str:
    if value is None:
        return "-"
    return _plain(value, 2)


def print_results(result: ResultSet, index_set: IndexSet, fmt: str) -> None:
    """Print a result set as a table, CSV or JSON."""
    if fmt == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        codes = [i.code for i in index_set.indicators]
        writer.writerow(
            ["rank", "unit_code", "name", *codes, "total", "max", "converted", "class", "has_data"]
        )
        for unit in result.units:
            cells = [_cell(unit, c).replace(",", ".") for c in codes]
            writer.writerow(
                [
                    unit.rank or "",
                    unit.unit_code,
                    unit.name,
                    *cells,
                    f"{float(unit.total):.6f}" if unit.scored else "",
                    f"{float(unit.max):g}",
                    result.rounded(unit.converted) or "",
                    unit.grade or "",
                    "true" if unit.has_data else "false",
                ]
            )
        return
    console = console_for_output()
    console.print(ranking_table(result, index_set))
    flagged = {f for u in result.units for f in result.unit_flags(u)}
    for ind in index_set.indicators:
        if ind.quality_flag in flagged:
            console.print(
                _("Data-quality caveat — {indicator}: {caveat}.").format(
                    indicator=ind.label, caveat=ind.quality_flag
                )
            )


def print_explanation(explanation: Explanation, fmt: str) -> None:
    """Print the records behind an indicator."""
    if fmt == "json":
        json.dump(explanation.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    console = console_for_output()
    res = explanation.result
    points = "-" if not res.applicable or res.points is None else _plain(res.points, 3)
    console.print(
        _("[bold]{unit}[/] — {indicator}, {period}: {points}/{max} points").format(
            unit=explanation.unit_name,
            indicator=explanation.label,
            period=period_shown(explanation.period),
            points=points,
            max=format_vn(res.max),
        )
    )
    if explanation.description:
        console.print(explanation.description)
    if explanation.note:
        console.print(explanation.note)
        return
    console.print(
        _("Numerator {numerator} / denominator {denominator} records").format(
            numerator=_figure(explanation.in_numerator),
            denominator=format_vn(explanation.in_denominator),
        )
    )
    if not explanation.costing:
        # Nothing to list: the points are lost by the rule itself (no fee-bearing dossier
        # under a zero-points rule) or none are lost; an empty table reads like an error.
        lost = res.applicable and res.points is not None and res.points < res.max
        console.print(
            _(
                "No record costs points: the period has no record of this indicator; the "
                "index set gives this case {points} points."
            ).format(points=points)
            if lost and not explanation.in_denominator
            else _("No record costs points: every record of the period meets the indicator.")
        )
        return
    table = Table(title=_("Records that cost points"))
    shown = explanation.columns[:8]
    for column in shown:
        table.add_column(column_label(column))
    for row in explanation.costing:
        table.add_row(*[_text(c, row.get(c)) for c in shown])
    console.print(table)


def _figure(value: Fraction) -> str:
    """A count that may be fractional (weighted records) as people read it: 6, 6,5."""
    return _plain(value, 2)


def _text(column: str, value: Any) -> str:
    """A record's field as people read it: dd/mm/yyyy HH:mm, Có/Không, labels for codes."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y %H:%M"))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value_label(column, value)


class RateColumn(ProgressColumn):
    """Items per second, Vietnamese thousands separator; blank until measured."""

    def render(self, task: Task) -> Text:
        """The task's speed as ``59.000/s``."""
        speed = task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s".replace(",", "."))


@contextmanager
def progress_bar(label: str, *, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar with rate and time left; yields ``advance(n)``.

    ``total=None`` (or 0) when the amount of work is unknown: rate and elapsed time only.
    """
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total or None)
        yield lambda n: progress.advance(task, n)


def print_plan(plan: Plan, labels: Mapping[str, str]) -> None:
    """Print a unit's plan to the next class; ``labels``: indicator code → short label."""
    console = console_for_output()

    def score(value: Fraction | None) -> str:
        return "-" if value is None else points_text(value)

    console.print(
        _(
            "[bold]{unit}[/] — {period}: {current} points now ({current_class}); at the "
            "period end if nothing more is done {baseline} points ({baseline_class})"
        ).format(
            unit=plan.name,
            period=period_shown(plan.period),
            current=score(plan.current),
            current_class=plan.current_class or "-",
            baseline=score(plan.baseline),
            baseline_class=plan.baseline_class or "-",
        )
    )
    if plan.next_class is None:
        console.print(_("Already in the highest class; nothing more to do."))
    else:
        goal = (
            _("Keep the class {name}: {points} more points needed")
            if plan.keep
            else _("Rise to {name}: {points} more points needed")
        )
        console.print(goal.format(name=plan.next_class, points=points_text(plan.points_needed)))
        if not plan.reachable:
            console.print(
                _(
                    "[red]This class cannot be reached in the period[/] with the records the "
                    "unit can still change."
                )
            )
    if plan.actions:
        table = Table(title=_("Plan to rise a class"))
        table.add_column(_("Indicator"))
        table.add_column(_("Records"), justify="right")
        table.add_column(_("Points"), justify="right")
        table.add_column(_("What to do"))
        for action in plan.actions:
            table.add_row(
                labels.get(action.indicator, action.indicator), format_vn(action.records),
                points_text(action.points), action.description,
            )  # fmt: skip
        console.print(table)
        console.print(
            _("After the plan: {points} points ({name})").format(
                points=score(plan.after), name=plan.after_class or "-"
            )
        )
    for action in plan.province:
        console.print(_("Province level: {action}").format(action=action.description))


def print_forecast(forecasts: list[Forecast], period: str) -> None:
    """Print each unit's month-end forecast with its 80 % interval; ``period`` as shown."""

    def score(value: Fraction | None) -> str:
        return "-" if value is None else points_text(value)

    table = Table(
        title=_("Forecast of the period-end score — {period} ({share} interval)").format(
            period=period, share="80 %"
        )
    )
    table.add_column(_("Unit"))
    for column in (_("Now"), _("Forecast"), _("Low"), _("High"), _("In progress")):
        table.add_column(column, justify="right")
    ordered = sorted(forecasts, key=lambda f: -(f.forecast or 0))
    for f in ordered:
        table.add_row(
            f.name, score(f.so_far), score(f.forecast), score(f.low), score(f.high),
            format_vn(f.in_progress),
        )  # fmt: skip
    console_for_output().print(table)
