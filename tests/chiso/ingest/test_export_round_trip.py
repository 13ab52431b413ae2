"""The demo's one-stop export (``chiso.ingest.bench.write_export``, the sample
``mau/mot-cua-<month>.xlsx``) imported back into the data it was written from changes
nothing: an officer trying the sample sees no change, not thousands of times cut to the
minute."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq

from chiso.ingest.bench import write_export
from chiso.ingest.importer import import_files
from chiso.synth.generator import generate


def test_the_export_imported_back_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(data, dossiers=400, start=date(2026, 9, 1), end=datetime(2026, 10, 29, 9), seed=7)
    received = pq.read_table(data / "dossiers", columns=["received_at"]).column(0).to_pylist()
    assert any(t.second for t in received)  # the data keep the seconds
    export = tmp_path / "mot-cua.xlsx"
    rows = write_export(data, export)
    result = import_files("dossiers", [export], str(data), dry_run=True)
    assert result.rows == rows and not result.issues
    assert (result.diff.changed, result.diff.unchanged) == (0, rows), result.diff.samples[:3]
