"""``chiso bench``: the full-year score of a province, timed as ratios in one run.

For each size the benchmark generates (once, cached) a year of synthetic
Điện Biên dossiers, then times in the same process:

* **chiso** — every unit, 12 months, every indicator of QĐ 459 on DuckDB;
* **floor** — one hand-written ``GROUP BY unit, month`` that only counts;
* **pandas** — the straightforward implementation in ``benchmarks/pandas_459.py``
  (when the repository's ``benchmarks/`` folder is present);
* **live** — a new dossier appended as a Parquet part, then its unit's
  live (month-to-date) score recomputed.

Figures go to ``docs/benchmarks.md`` with the command that produced them.
"""

from __future__ import annotations

import importlib.util
import resource
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from rich.table import Table

from chiso.cli_output import console_for_output
from chiso.domain.periods import Period, months_of
from chiso.engine.runner import Level, score
from chiso.engine.store import open_folder
from chiso.spec.loader import load_index_set

YEAR = 2026


def _timed(func: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def _data(root: Path, size: int) -> Path:
    from chiso.synth.generator import generate

    folder = root / f"dossiers-{size}"
    marker = folder / ".complete"
    if not marker.exists():
        generate(folder, dossiers=size, start=date(YEAR, 1, 1), end=date(YEAR + 1, 1, 1), seed=7)
        marker.touch()
    return folder


def _floor(folder: Path) -> int:
    import duckdb

    con = duckdb.connect()
    source = f"read_parquet('{folder}/dossiers/*.parquet')"
    sql = "SELECT unit_code, date_trunc('month', received_at) AS m, count(*) FROM {} GROUP BY ALL"
    rows = con.execute(sql.format(source)).fetchall()
    return len(rows)


def _pandas_module() -> Any | None:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "pandas_459.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("pandas_459", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _live(folder: Path, index_set: Any) -> float:
    import pyarrow as pa
    import pyarrow.parquet as pq

    part = folder / "dossiers" / "part-live.parquet"
    template = pq.read_table(next((folder / "dossiers").glob("part-*.parquet"))).slice(0, 1)
    unit = template.column("unit_code")[0].as_py()
    now = datetime(YEAR, 12, 15, 10, 0)
    row = template.to_pylist()[0] | {
        "dossier_code": "LIVE-1",
        "received_at": now,
        "finished_at": None,
        "status": "processing",
    }
    start = time.perf_counter()
    pq.write_table(pa.Table.from_pylist([row], schema=template.schema), part)
    store = open_folder(folder)
    period = Period.live(date(YEAR, 12, 1), now)
    result = score(store, index_set, [period], level=Level("units", (unit,)))[0]
    elapsed = time.perf_counter() - start
    part.unlink()
    assert result.units, "live score missing"
    return elapsed


def run_bench(root: Path, *, sizes: list[int], with_pandas: bool) -> None:
    """Run the benchmark for each size and print a table of times and ratios."""
    console = console_for_output()
    index_set = load_index_set("dienbien-459-2023")
    periods = months_of(YEAR)
    table = Table(title="chiso bench — full-year score, DuckDB (best of 3)")
    for column in (
        "dossiers",
        "chiso s",
        "floor s",
        "chiso/floor",
        "pandas s",
        "pandas/chiso",
        "live s",
        "peak RSS MB",
    ):
        table.add_column(column, justify="right")
    pandas_impl = _pandas_module() if with_pandas else None
    for size in sizes:
        console.print(f"[dim]generating/using {size:,} dossiers …[/]")
        folder = _data(root, size)
        store = open_folder(folder)
        ours, _ = _timed(partial(score, store, index_set, periods, level=Level("all")))
        floor, _ = _timed(partial(_floor, folder))
        pandas_s = None
        if pandas_impl is not None:
            pandas_s, _ = _timed(partial(pandas_impl.score_year, folder, YEAR), repeat=1)
        live = _live(folder, index_set)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        table.add_row(
            f"{size:,}",
            f"{ours:.3f}",
            f"{floor:.3f}",
            f"{ours / floor:.1f}×",
            f"{pandas_s:.2f}" if pandas_s is not None else "-",
            f"{pandas_s / ours:.1f}×" if pandas_s is not None else "-",
            f"{live:.3f}",
            f"{rss:,.0f}",
        )
    console.print(table)
