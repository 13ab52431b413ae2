"""Printing for the CLI: ranking tables (rich), CSV, JSON, progress bars."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from chiso.domain.rounding import format_vn, to_decimal
from chiso.engine.explain import Explanation
from chiso.engine.results import ResultSet, UnitResult
from chiso.spec.canonical import IndexSet

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
    return format_vn(to_decimal(ind.points).quantize(to_decimal_q(2)).normalize())


def to_decimal_q(decimals: int) -> Any:
    """Quantum for ``decimals`` digits."""
    from decimal import Decimal

    return Decimal(1).scaleb(-decimals)


def ranking_table(result: ResultSet, index_set: IndexSet) -> Table:
    """A rich table in the annex's layout: groups, indicators, total, converted, grade."""
    table = Table(title=f"{index_set.issuer} — {result.period_label}", show_lines=False)
    table.add_column("Hạng", justify="right")
    table.add_column("Đơn vị")
    for ind in index_set.indicators:
        if ind.in_total:
            table.add_column(f"{ind.code}\n({format_vn(ind.max)}đ)", justify="right")
    table.add_column("Tổng", justify="right")
    table.add_column("Quy đổi", justify="right")
    table.add_column("Xếp loại")
    for unit in result.units:
        style = GRADE_STYLE.get(unit.grade or "", "")
        rank = f"{unit.rank}{'=' if unit.tied else ''}" if unit.rank else "-"
        total = to_decimal(unit.total).quantize(to_decimal_q(2)).normalize()
        converted = result.rounded(unit.converted)
        table.add_row(
            rank,
            unit.name,
            *[_cell(unit, i.code) for i in index_set.indicators if i.in_total],
            f"{format_vn(total)}/{format_vn(to_decimal(unit.max).normalize())}",
            format_vn(converted),
            f"[{style}]{unit.grade_label or '-'}[/]",
        )
    return table


def print_results(result: ResultSet, index_set: IndexSet, fmt: str) -> None:
    """Print a result set as a table, CSV or JSON."""
    if fmt == "json":
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        codes = [i.code for i in index_set.indicators]
        writer.writerow(["rank", "unit_code", "name", *codes, "total", "max", "converted", "class"])
        for unit in result.units:
            cells = [_cell(unit, c).replace(",", ".") for c in codes]
            writer.writerow(
                [
                    unit.rank or "",
                    unit.unit_code,
                    unit.name,
                    *cells,
                    f"{float(unit.total):.6f}",
                    f"{float(unit.max):g}",
                    result.rounded(unit.converted) or "",
                    unit.grade or "",
                ]
            )
        return
    Console().print(ranking_table(result, index_set))


def print_explanation(explanation: Explanation, fmt: str) -> None:
    """Print the records behind an indicator."""
    if fmt == "json":
        json.dump(explanation.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    console = Console()
    res = explanation.result
    points = (
        "-"
        if not res.applicable or res.points is None
        else format_vn(to_decimal(res.points).quantize(to_decimal_q(3)).normalize())
    )
    console.print(
        f"[bold]{explanation.unit_name}[/] — {explanation.indicator} "
        f"({explanation.label}), {explanation.period}: "
        f"{points}/{format_vn(res.max)} điểm"
    )
    if explanation.description:
        console.print(explanation.description)
    if explanation.note:
        console.print(explanation.note)
        return
    console.print(
        f"Tử số {float(explanation.in_numerator):g} / mẫu số {explanation.in_denominator} hồ sơ"
    )
    table = Table(title="Hồ sơ làm mất điểm")
    shown = [c for c in explanation.columns if c not in ("unit_code",)][:9]
    for column in shown:
        table.add_column(column)
    for row in explanation.costing:
        table.add_row(*[_text(row.get(c)) for c in shown])
    console.print(table)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y %H:%M"))
    return str(value)


@contextmanager
def progress_bar(label: str, *, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar with rate and time left; yields ``advance(n)``."""
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
