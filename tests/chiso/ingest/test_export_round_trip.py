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
from chiso.synth.inject import inject


def test_the_export_imported_back_changes_nothing(tmp_path: Path) -> None:
    """Also with the demo's broken records in the data: the export leaves out the dossiers
    the import refuses for their dates' order (finished before received, …), or the
    sample was refused whole ("5 dòng không hợp lệ; chưa nhập dòng nào")."""
    data = tmp_path / "data"
    end = datetime(2026, 10, 29, 9)
    generate(data, dossiers=400, start=date(2026, 9, 1), end=end, seed=7)
    assert inject(data, {"out_of_order": 0.05}, seed=7, stop=end)["out_of_order"] > 0
    received = pq.read_table(data / "dossiers", columns=["received_at"]).column(0).to_pylist()
    assert any(t.second for t in received)  # the data keep the seconds
    export = tmp_path / "mot-cua.xlsx"
    rows = write_export(data, export)
    result = import_files("dossiers", [export], str(data), dry_run=True)
    assert result.rows == rows and not result.issues
    assert (result.diff.changed, result.diff.unchanged) == (0, rows), result.diff.samples[:3]
