"""The web tests' fixed cast (conventions.md §11): alice in A, bob in A's parent, charlie
elsewhere.  Fixtures live in ``tests/chiso_web/conftest.py``."""

from __future__ import annotations

from pathlib import Path

import duckdb

from chiso.storage.store import table_files

WEB_DOSSIERS = 6000
ALICE_UNIT = "03158"  # UBND xã Sín Thầu
BOB_UNIT = "11"  # UBND tỉnh Điện Biên, parent of every commune since 1/7/2025
CHARLIE_UNIT = "03160"  # UBND xã Mường Nhé


def dossiers_by_unit(folder: Path, start: str, end: str) -> dict[str, int]:
    """Dossiers received or finished in [start, end) per unit, read straight from the files
    (on a connection of its own: other tests may leave DuckDB's default one busy)."""
    _, files = table_files(folder, "dossiers") or ("", [])
    with duckdb.connect() as con:
        rows = con.sql(
            "SELECT unit_code, count(*) FROM read_parquet($files) WHERE"
            " (received_at >= $start AND received_at < $end)"
            " OR (finished_at >= $start AND finished_at < $end) GROUP BY unit_code",
            params={"files": [str(p) for p in files], "start": start, "end": end},
        ).fetchall()
    return {str(code): int(n) for code, n in rows}
