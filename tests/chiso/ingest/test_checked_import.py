"""Checking and applying an import apart: the check writes nothing and knows whether the
target's units and procedures are still those it checked the rows against."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from chiso.ingest.importer import apply_checked, check_files
from chiso.ingest.issues import ImportRejectedError
from chiso.storage.targets import read_canonical
from exports import HEADERS, write_csv


def test_a_check_writes_nothing_and_its_apply_writes_the_rows(
    store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    path = write_csv(tmp_path / "export.csv", export_rows[:40])
    with check_files("dossiers", [path], str(store)) as checked:
        assert checked.result.issues == [] and checked.result.rows == 40
        assert read_canonical(store, "dossiers") is None
        assert checked.still_valid()
        result = apply_checked(checked)
        assert result.written and result.diff.new == 40
        staged = checked.stage.dir
    assert not staged.exists()  # closing removes the staged files
    assert read_canonical(store, "dossiers").num_rows == 40


def test_a_changed_procedure_catalogue_makes_the_check_stale(
    store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    path = write_csv(tmp_path / "export.csv", export_rows[:5])
    with check_files("dossiers", [path], str(store)) as checked:
        catalogue = store / "procedures.parquet"
        table = pq.read_table(catalogue)
        first = table["procedure_code"][0].as_py()
        pq.write_table(table.filter(pc.field("procedure_code") != first), f"{catalogue}.new")
        os.replace(f"{catalogue}.new", catalogue)
        assert not checked.still_valid()


def test_bad_rows_are_collected_by_the_check_and_refused_by_the_apply(
    store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    rows = [list(r) for r in export_rows[:3]]
    rows[1][[f for _, f in HEADERS].index("received_at")] = "31/02/2026 08:00"
    path = write_csv(tmp_path / "bad.csv", rows, messy=False)
    with check_files("dossiers", [path], str(store)) as checked:
        assert len(checked.result.issues) == 1
        with pytest.raises(ImportRejectedError):
            apply_checked(checked)
    assert read_canonical(store, "dossiers") is None
