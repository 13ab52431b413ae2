"""Import benchmark: a million-dossier export from CSV and XLSX, time and peak memory.

The export is the synthetic province written as a one-stop system would: Vietnamese
headers, a title block, unit names instead of codes, dd/mm/yyyy hh:mm:ss dates, Vietnamese
numbers and labels (and, in the XLSX, numbers and Excel serial dates as typed cells).
Each import runs in a fresh process so that its peak RSS is its own.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chiso.domain.labels import DOSSIER_HEADERS, VALUES
from chiso.domain.units import UnitTree
from chiso.ingest.convert import ORDER_CHECKS

__all__ = ["HEADERS", "print_import_bench", "run_import_bench", "write_export"]

#: The export's headers and value labels: the one source is :mod:`chiso.domain.labels`.
HEADERS = DOSSIER_HEADERS
LABELS = {column: VALUES[column] for column in ("channel", "payment", "status")}


def _text_columns(batch: pa.RecordBatch, names: dict[str, str]) -> list[list[Any]]:
    """The batch as export text columns (vectorised formatting)."""
    out: list[list[Any]] = []
    for column in HEADERS:
        if column in ("unit_name", "receiving_point"):
            codes = batch.column("unit_code" if column == "unit_name" else column).to_pylist()
            out.append([names.get(c, c) if c else "" for c in codes])
            continue
        values = batch.column(column)
        if column.endswith("_at"):
            # to the second, as stored: the export imported back changes nothing (arrow's
            # %S of a microsecond timestamp carries the fraction: cut to seconds first)
            seconds = values.cast(pa.timestamp("s"), safe=False)
            values = pc.strftime(seconds, format="%d/%m/%Y %H:%M:%S")
        elif column in LABELS:
            mapping = LABELS[column]
            out.append([mapping.get(v, v) for v in values.to_pylist()])
            continue
        elif pa.types.is_boolean(values.type):
            values = pc.if_else(values, "x", "")
        elif column == "fee_amount":
            out.append([f"{v:,.0f}".replace(",", ".") if v else "0" for v in values.to_pylist()])
            continue
        out.append(pc.cast(values, pa.string()).to_pylist())
    return out


def _batches(
    source: Path, received: tuple[datetime, datetime] | None, keep: Callable[[str], bool] | None
) -> Iterator[pa.RecordBatch]:
    """The dossier batches of ``source``: only those received in ``[start, end)`` and of
    the units ``keep`` accepts, when given; never a dossier the import refuses for its
    dates' order (:data:`chiso.ingest.convert.ORDER_CHECKS`: the demo's broken records,
    ``chiso generate --inject``), so that the export imports whole."""
    for part in sorted((source / "dossiers").glob("*.parquet")):
        for batch in pq.ParquetFile(part).iter_batches(100_000):
            if received is not None:
                at = batch.column("received_at")
                batch = batch.filter(
                    pc.and_(pc.greater_equal(at, received[0]), pc.less(at, received[1]))
                )
            if keep is not None:
                codes = batch.column("unit_code").to_pylist()
                batch = batch.filter(pa.array([keep(c) for c in codes], pa.bool_()))
            batch = batch.filter(_in_order(batch))
            if batch.num_rows:
                yield batch


def _in_order(batch: pa.RecordBatch) -> pa.Array:
    """Rows whose dates the import accepts in their order (a date or its reference absent
    counts as in order)."""
    ok = pa.array([True] * batch.num_rows, pa.bool_())
    for later, earlier, _ in ORDER_CHECKS["dossiers"]:
        a, b = batch.column(later), batch.column(earlier)
        fine = pc.or_kleene(pc.or_kleene(pc.is_null(a), pc.is_null(b)), pc.greater_equal(a, b))
        ok = pc.and_(ok, pc.fill_null(fine, True))
    return ok


def write_export(
    source: Path,
    path: Path,
    *,
    received: tuple[datetime, datetime] | None = None,
    keep: Callable[[str], bool] | None = None,
) -> int:
    """Write the dossiers of data folder ``source`` as a messy export (CSV or XLSX).

    ``received``: only the dossiers received in ``[start, end)`` (a month's export);
    ``keep``: only the dossiers of the unit codes it accepts.
    """
    names = {u.unit_code: u.name for u in UnitTree.dienbien()}
    rows = 0
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerows([["UBND TỈNH ĐIỆN BIÊN"], ["DANH SÁCH HỒ SƠ"], []])
            writer.writerow(list(HEADERS.values()))
            for batch in _batches(source, received, keep):
                columns = _text_columns(batch, names)
                writer.writerows(zip(*columns, strict=True))
                rows += batch.num_rows
        return rows
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    sheet.write_row(0, 0, ["UBND TỈNH ĐIỆN BIÊN"])
    sheet.write_row(2, 0, list(HEADERS.values()))
    line = 3
    for batch in _batches(source, received, keep):
        for record in zip(*_text_columns(batch, names), strict=True):
            sheet.write_row(line, 0, record)
            line += 1
        rows += batch.num_rows
    book.close()
    return rows


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from chiso.ingest.importer import import_files
start, cpu = time.perf_counter(), time.process_time()
result = import_files("dossiers", [Path(sys.argv[1])], sys.argv[2])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": result.rows, "new": result.diff.new,
                  "issues": len(result.issues), "peak": peak}))
"""


_FLOOR = """
import json, resource, sys, time
import duckdb
start, cpu = time.perf_counter(), time.process_time()
con = duckdb.connect()
con.execute("COPY (SELECT * FROM read_csv(?)) TO '" + sys.argv[2] + "' (FORMAT parquet)",
            [sys.argv[1]])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
rows = con.execute("SELECT count(*) FROM read_parquet(?)", [sys.argv[2]]).fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "peak": peak}))
"""


def _child(script: str, *args: str) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def duckdb_floor(export: Path) -> dict[str, Any]:
    """DuckDB turning the CSV export into Parquet with its own ``read_csv`` (fresh process):
    what reading and writing the same file costs at the least."""
    out = export.with_name(export.stem + ".floor.parquet")
    try:
        return _child(_FLOOR, str(export), str(out))
    finally:
        out.unlink(missing_ok=True)


def _timed_import(export: Path, store: Path, source: Path) -> dict[str, Any]:
    import shutil

    if store.exists():
        shutil.rmtree(store)
    store.mkdir(parents=True)
    for name in ("units.parquet", "procedures.parquet"):  # validated against, as in real use
        shutil.copy(source / name, store / name)
    return _child(_CHILD, str(export), str(store))


def run_import_bench(
    root: Path, *, size: int, formats: tuple[str, ...] = ("csv", "xlsx")
) -> list[dict[str, Any]]:
    """Generate (once) a ``size``-dossier export per format and time its import, and
    DuckDB's CSV-to-Parquet of the same dossiers (``floor``) right before each."""
    from chiso.synth.generator import generate

    source = root / f"import-source-{size}"
    if not (source / ".complete").exists():
        generate(source, dossiers=size, start=date(2026, 1, 1), end=date(2027, 1, 1), seed=7)
        (source / ".complete").touch()
    results = []
    for fmt in formats:
        exports = {f: root / f"export-{size}.{f}" for f in ("csv", fmt)}
        for export in exports.values():
            if not export.exists():
                started = time.perf_counter()
                write_export(source, export)
                sys.stderr.write(f"wrote {export} in {time.perf_counter() - started:.0f} s\n")
        floor = duckdb_floor(exports["csv"])
        figures = _timed_import(exports[fmt], root / f"import-store-{fmt}", source)
        figures.update(format=fmt, size_mb=exports[fmt].stat().st_size / 1e6, floor=floor)
        results.append(figures)
    return results


def print_import_bench(root: Path, *, size: int, formats: tuple[str, ...]) -> None:
    """Run :func:`run_import_bench` and print one line per format, with DuckDB's floor."""
    from rich.console import Console

    console = Console()
    for r in run_import_bench(root, size=size, formats=formats):
        floor = r["floor"]
        console.print(
            f"{r['format']:5} {r['rows']:>10,} rows ({r['size_mb']:.0f} MB): "
            f"{r['seconds']:.1f} s (CPU {r['cpu']:.1f} s), {r['rows'] / r['seconds']:,.0f} "
            f"rows/s, peak RSS {r['peak'] / 1e6:,.0f} MB, {r['issues']} issues; DuckDB CSV → "
            f"Parquet {floor['seconds']:.1f} s (CPU {floor['cpu']:.1f} s, peak RSS "
            f"{floor['peak'] / 1e6:,.0f} MB): {r['seconds'] / floor['seconds']:.1f}× the floor"
        )
