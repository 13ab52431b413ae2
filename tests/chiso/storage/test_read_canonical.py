"""``targets.read_canonical`` reads a table exactly as the store does, from Parquet or CSV.

The import target reads a folder's tables in its own memory-bounded DuckDB (the same cast
it compares incoming rows with), the store through Ibis; this pins that both give the
same rows and types, so the two readers cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from chiso.domain.records import KEYS, TABLES
from chiso.storage.store import open_folder, table_files
from chiso.storage.targets import read_canonical

CSV_OUT = "(FORMAT csv, HEADER, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S', DATEFORMAT '%Y-%m-%d')"


def as_csv(folder: Path, out: Path) -> Path:
    """Every table of ``folder`` as one ``<table>.csv`` (how people hand data over)."""
    out.mkdir()
    con = duckdb.connect()
    for table in TABLES:
        found = table_files(folder, table)
        if found is not None:
            files = ", ".join(f"'{p}'" for p in found[1])
            con.execute(
                f"COPY (SELECT * FROM read_parquet([{files}])) TO '{out / table}.csv' {CSV_OUT}"
            )
    con.close()
    return out


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_read_canonical_equals_the_store(province: Path, tmp_path: Path, kind: str) -> None:
    folder = province if kind == "parquet" else as_csv(province, tmp_path / "csv")
    store = open_folder(folder)
    compared = 0
    for table in TABLES:
        ours = read_canonical(folder, table)
        if ours is None:
            assert not store.has(table)
            continue
        expected = store.to_pyarrow(store.table(table))
        assert ours.schema.equals(expected.schema), table
        order = [(k, "ascending") for k in KEYS[table]]
        assert ours.sort_by(order).equals(expected.sort_by(order)), table
        compared += 1
    assert compared >= 3  # units, procedures, dossiers at least
    assert read_canonical(folder, "portal_scores") is None
