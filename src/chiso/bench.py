"""``chiso bench``: the full-year score of a province, timed as ratios in one run.

For each size the benchmark generates (once, cached) a year of synthetic
Điện Biên dossiers (``--national``: of the 34 provinces), then times in the same
process (on PySpark against the cluster ``CHISO_SPARK_MASTER`` names, if any):

* **chiso** — every unit, 12 months, every indicator of QĐ 459 on the chosen
  engine (DuckDB, PostgreSQL or PySpark), scanning the dossiers;
* **stored** — the same score from the folder's stored partial aggregates
  (:mod:`chiso.storage.cubes`, on the same engine): *build* is the first score,
  which scans every part and stores the cubes; *stored* a later score of the
  unchanged folder; *+1k* the score after a new part of 1,000 dossiers arrived
  (the new part is the only one scanned);
* **floor** — one ``GROUP BY unit, month`` that only counts, over the same
  dossiers table on the same engine;
* **pandas** — the straightforward implementation in ``benchmarks/pandas_459.py``
  (when the repository's ``benchmarks/`` folder is present);
* **live** — a new dossier appended as a Parquet part, then its unit's
  live (month-to-date) score recomputed (folder engines only: PostgreSQL
  would copy the whole folder again); without stored cubes, and with the cubes
  of that query stored beforehand (as an open dashboard keeps them).

Figures go to ``docs/benchmarks.md`` with the command that produced them.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import shutil
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from rich.table import Table

from chiso.cli.output import console_for_output
from chiso.domain.periods import Period, months_of
from chiso.engine.runner import Level, score
from chiso.spec.loader import load_index_set
from chiso.storage.backends import BackendName
from chiso.storage.cubes import CUBE_DIR
from chiso.storage.store import Store, open_folder

YEAR = 2026


def _timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def _data(root: Path, size: int, *, national: bool = False) -> Path:
    from chiso.synth.generator import generate, generate_national

    folder = root / f"{'national' if national else 'dossiers'}-{size}"
    marker = folder / ".complete"
    if not marker.exists():
        make = generate_national if national else generate
        make(folder, dossiers=size, start=date(YEAR, 1, 1), end=date(YEAR + 1, 1, 1), seed=7)
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


def _new_part(folder: Path, name: str, rows: int, received: datetime) -> Path:
    """Append a part of ``rows`` new unfinished dossiers copied from the first part."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    first = pq.ParquetFile(next((folder / "dossiers").glob("part-*.parquet")))
    template = pa.Table.from_batches([next(first.iter_batches(batch_size=rows))])
    new = [
        row | {"dossier_code": f"{name}-{i}", "received_at": received, "finished_at": None,
               "status": "processing"}
        for i, row in enumerate(template.to_pylist())
    ]  # fmt: skip
    part = folder / "dossiers" / f"part-{name}.parquet"
    pq.write_table(pa.Table.from_pylist(new, schema=template.schema), part)
    return part


def _live(folder: Path, index_set: Any, backend: BackendName, *, cubes: bool) -> float | None:
    if backend == "postgres":
        return None
    now = datetime(YEAR, 12, 15, 10, 0)
    period = Period.live(date(YEAR, 12, 1), now)
    first = next((folder / "dossiers").glob("part-*.parquet"))
    import pyarrow.parquet as pq

    unit = str(pq.read_table(first, columns=["unit_code"]).column(0)[0].as_py())
    level = Level("units", (unit,))
    if cubes:  # the query's cubes, as a dashboard that showed the unit keeps them
        score(open_folder(folder, backend, cubes=True), index_set, [period], level=level)
    start = time.perf_counter()
    part = _new_part(folder, "live", 1, now)
    store = open_folder(folder, backend, cubes=cubes)
    result = score(store, index_set, [period], level=level)[0]
    elapsed = time.perf_counter() - start
    part.unlink()
    assert result.units, "live score missing"
    return elapsed


def _stored(
    folder: Path, index_set: Any, periods: list[Period], repeat: int, backend: BackendName
) -> tuple[float, float, float]:
    """Seconds to build the cubes, to score from them, and to score after 1,000 new
    dossiers arrived as a new part (on ``backend``)."""
    shutil.rmtree(folder / CUBE_DIR, ignore_errors=True)
    run = partial(_score_folder, folder, index_set, periods, backend)
    build, _ = _timed(run, 1)
    stored, _ = _timed(run, repeat)
    part = _new_part(folder, "bench", 1000, datetime(YEAR, 12, 20, 9, 0))
    try:
        added, _ = _timed(run, 1)
    finally:
        part.unlink()
    return build, stored, added


def _score_folder(folder: Path, index_set: Any, periods: list[Period], backend: BackendName) -> Any:
    store = open_folder(folder, backend, cubes=True)
    return score(store, index_set, periods, level=Level("all"))


def _num(value: float | None, form: str) -> str:
    return "-" if value is None else format(value, form)


def _ratio(top: float | None, bottom: float | None) -> str:
    return "-" if top is None or bottom is None else f"{top / bottom:.1f}×"


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
    national: bool = False,
) -> None:
    """Run the benchmark for each size and print a table of times and ratios
    (``national``: the 34 provinces of :func:`chiso.synth.generator.generate_national`)."""
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
        "build s",
        "stored s",
        "+1k s",
        "stored/floor",
        "pandas/stored",
        "live s",
        "live stored s",
        "peak RSS MB",  # this process, plus the JVM on PySpark
    ):
        table.add_column(column, justify="right")
    pandas_impl = _pandas_module() if with_pandas else None
    for size in sizes:
        console.print(f"[dim]generating/using {size:,} dossiers …[/]")
        folder = _data(root, size, national=national)
        store = open_folder(folder, backend, cubes=False)
        ours, _ = _timed(partial(score, store, index_set, periods, level=Level("all")), repeat)
        floor, _ = _timed(partial(_floor, store), repeat)
        pandas_s = None
        if pandas_impl is not None:
            pandas_s, _ = _timed(partial(pandas_impl.score_year, folder, YEAR), repeat=1)
        stored = _stored(folder, index_set, periods, repeat, backend)
        live = _live(folder, index_set, backend, cubes=False)
        live_stored = _live(folder, index_set, backend, cubes=True) if stored else None
        rss = _peak_rss_mb()
        table.add_row(
            f"{size:,}",
            f"{ours:.3f}",
            f"{floor:.3f}",
            f"{ours / floor:.1f}×",
            _num(pandas_s, ".2f"),
            _ratio(pandas_s, ours),
            *(_num(s, ".3f") for s in stored or (None, None, None)),
            _ratio(stored[1] if stored else None, floor),
            _ratio(pandas_s, stored[1] if stored else None),
            _num(live, ".3f"),
            _num(live_stored, ".3f"),
            f"{rss:,.0f}",
        )
    console.print(table)
