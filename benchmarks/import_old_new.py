"""Import of one export by two versions of the code, beside DuckDB's floor (docs/benchmarks.md).

Each run is a fresh process, one after the other in the order given: ``floor`` is
DuckDB's CSV → Parquet of ``--csv`` (the bench's own script), ``old`` and ``new`` import
``export`` into a fresh data folder holding the province's units and procedures, with
the library of ``--old`` or ``--new`` (a ``src`` folder, e.g. of a ``git archive``) on
``PYTHONPATH``. One line per run: the time, CPU seconds, peak RSS and the load average.

.venv/bin/python benchmarks/import_old_new.py /tmp/csvspeed/export-1000000.csv \\
    --csv /tmp/csvspeed/export-1000000.csv --source /tmp/csvspeed/import-source-1000000 \\
    --old /tmp/old/src --work /tmp/work floor old new new old floor
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from chiso.ingest.bench import _CHILD, _FLOOR

SRC = Path(__file__).resolve().parent.parent / "src"


def _run(script: str, args: list[str], src: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src))
    completed = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("runs", nargs="+", choices=["floor", "old", "new"])
    parser.add_argument("--csv", type=Path, required=True, help="the CSV the floor reads")
    parser.add_argument("--source", type=Path, required=True, help="units and procedures")
    parser.add_argument("--old", type=Path, required=True, help="the old code's src folder")
    parser.add_argument("--new", type=Path, default=SRC)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for run in args.runs:
        load = os.getloadavg()[0]
        if run == "floor":
            figures = _run(_FLOOR, [str(args.csv), str(args.work / "floor.parquet")], args.new)
            (args.work / "floor.parquet").unlink(missing_ok=True)
        else:
            store = args.work / "store"
            shutil.rmtree(store, ignore_errors=True)
            store.mkdir()
            for name in ("units.parquet", "procedures.parquet"):
                shutil.copy(args.source / name, store / name)
            figures = _run(_CHILD, [str(args.export), str(store)], getattr(args, run))
        print(
            f"{time.strftime('%H:%M:%S')} load {load:.1f} {run:5} {figures['seconds']:.2f} s "
            f"CPU {figures['cpu']:.2f} s, {figures['rows']:,} rows, "
            f"peak RSS {figures['peak'] / 1e6:,.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
