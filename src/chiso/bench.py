"""``chiso bench``: the full-year score of a province, timed as ratios in one run.

For each size the benchmark generates (once, cached) a year of synthetic
Điện Biên dossiers, then times in the same process:

* **chiso** — every unit, 12 months, every indicator of QĐ 459 on the chosen
  engine (DuckDB, PostgreSQL or PySpark);
* **floor** — one ``GROUP BY unit, month`` that only counts, over the same
  dossiers table on the same engine;
* **pandas** — the straightforward implementation in ``benchmarks/pandas_459.py``
  (when the repository's ``benchmarks/`` folder is present);
* **live** — a new dossier appended as a Parquet part, then its unit's
  live (month-to-date) score recomputed (folder engines only: PostgreSQL
  would copy the whole folder again).

Figures go to ``docs/benchmarks.md`` with the command that produced them.
"""

from __future__ import annotations

import importlib.util
import os
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
from chiso.engine.backends import BackendName
from chiso.engine.runner import Level, score
from chiso.engine.store import Store, open_folder
from chiso.spec.loader import load_index_set

YEAR = 2026


def _timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
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


def _floor(store: Store) -> int:
    """``SELECT unit_code, date_trunc('month', received_at), count(*) … GROUP BY 1, 2``."""
    t = store.table("dossiers")
    month = t.received_at.truncate("M").name("month")
    return int(store.to_pyarrow(t.group_by([t.unit_code, month]).aggregate(n=t.count())).num_rows)


def _pandas_module() -> Any | None:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "pandas_459.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("pandas_459", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _live(folder: Path, index_set: Any, backend: BackendName) -> float | None:
    if backend == "postgres":
        return None
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
    store = open_folder(folder, backend)
    period = Period.live(date(YEAR, 12, 1), now)
    result = score(store, index_set, [period], level=Level("units", (unit,)))[0]
    elapsed = time.perf_counter() - start
    part.unlink()
    assert result.units, "live score missing"
    return elapsed


def _peak_rss_mb() -> float:
    """Peak resident memory of this process plus its live children (Spark's JVM)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if fields.get("PPid", "").strip() == str(os.getpid()) and "VmHWM" in fields:
            peak += int(fields["VmHWM"].split()[0]) / 1024
    return peak


def run_bench(
    root: Path,
    *,
    sizes: list[int],
    with_pandas: bool,
    backend: BackendName = "duckdb",
    repeat: int = 3,
) -> None:
    """Run the benchmark for each size and print a table of times and ratios."""
    console = console_for_output()
    index_set = load_index_set("dienbien-459-2023")
    periods = months_of(YEAR)
    table = Table(title=f"chiso bench — full-year score, {backend} (best of {repeat})")
    for column in (
        "dossiers",
        "chiso s",
        "floor s",
        "chiso/floor",
        "pandas s",
        "pandas/chiso",
        "live s",
        "peak RSS MB",  # this process, plus the JVM on PySpark
    ):
        table.add_column(column, justify="right")
    pandas_impl = _pandas_module() if with_pandas else None
    for size in sizes:
        console.print(f"[dim]generating/using {size:,} dossiers …[/]")
        folder = _data(root, size)
        store = open_folder(folder, backend)
        ours, _ = _timed(partial(score, store, index_set, periods, level=Level("all")), repeat)
        floor, _ = _timed(partial(_floor, store), repeat)
        pandas_s = None
        if pandas_impl is not None:
            pandas_s, _ = _timed(partial(pandas_impl.score_year, folder, YEAR), repeat=1)
        live = _live(folder, index_set, backend)
        rss = _peak_rss_mb()
        table.add_row(
            f"{size:,}",
            f"{ours:.3f}",
            f"{floor:.3f}",
            f"{ours / floor:.1f}×",
            f"{pandas_s:.2f}" if pandas_s is not None else "-",
            f"{pandas_s / ours:.1f}×" if pandas_s is not None else "-",
            f"{live:.3f}" if live is not None else "-",
            f"{rss:,.0f}",
        )
    console.print(table)
