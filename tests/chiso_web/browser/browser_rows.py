"""Dossiers the browser tests add to the site's data (by file, by upload, by the API)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from browser_site import SITE_NOW

from chiso.ingest.bench import write_export


def late_dossiers(data: Path, unit: str, count: int, *, first: int) -> list[dict[str, Any]]:
    """``count`` new dossiers of ``unit`` received 20/10/2026 and finished five days late.

    They copy a real dossier of the unit (procedure, channel, payment ...) with new codes
    ``UNIT-261020-9NNNNN`` numbered from ``first``.
    """
    table = pq.read_table(data / "dossiers", filters=[("unit_code", "=", unit)])
    model = table.slice(0, 1).to_pylist()[0]
    received = datetime(2026, 10, 20, 8, 30)
    return [
        {
            **model,
            "dossier_code": f"{unit}-261020-{900000 + first + n:06d}",
            "received_at": received,
            "due_at": received + timedelta(days=2),
            "finished_at": received + timedelta(days=7),
            "returned_at": received + timedelta(days=7, hours=1),
            "status": "returned",
            "supplement_count": 0,
        }
        for n in range(count)
    ]


def one_stop_export(rows: list[dict[str, Any]], data: Path, path: Path) -> Path:
    """``rows`` written as the provincial one-stop system exports them (``path``: .csv/.xlsx).

    Vietnamese headers under a title block, unit names instead of codes, dd/mm/yyyy dates
    (:func:`chiso.ingest.bench.write_export`).
    """
    source = path.parent / f"{path.stem}-source"
    (source / "dossiers").mkdir(parents=True)
    schema = pq.read_schema(next((data / "dossiers").glob("*.parquet")))
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), source / "dossiers" / "p.parquet")
    write_export(source, path)
    return path


def finished_unrated(data: Path, unit: str, skip: int) -> str:
    """A dossier of ``unit`` finished in October, without any rating in the data."""
    sql = f"""select dossier_code from '{data}/dossiers/**/*.parquet'
        where unit_code = ? and finished_at >= '2026-10-01' and finished_at <= ?
          and dossier_code not in (select dossier_code from '{data}/ratings/**/*.parquet')
        order by dossier_code desc limit 1 offset ?"""
    now = SITE_NOW.replace("T", " ")
    return str(duckdb.execute(sql, [unit, now, skip]).fetchone()[0])
