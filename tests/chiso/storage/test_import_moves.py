"""The staged parts of an import are what a data folder takes in, by rename, not copy.

The rows are written to Parquet once (the staged parts); the journal's commit renames
them into place.  Still all or nothing: killed before the commit point the folder is as
it was, killed right after it the next opening finishes the import.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from chiso.ingest.importer import apply_checked, check_files, import_files
from chiso.storage.journal import JOURNAL, STAGE_PREFIX, recover
from chiso.storage.targets import read_canonical
from exports import write_csv


def _renamed(rows: list[list[str]], suffix: str) -> list[list[str]]:
    out = copy.deepcopy(rows)
    for row in out:
        row[1] = f"{row[1]}{suffix}"
    return out


def _inodes(folder: Path) -> dict[int, Path]:
    return {p.stat().st_ino: p for p in folder.rglob("*.parquet")}


def _layout(path: Path) -> list[tuple[str, str]]:
    con = duckdb.connect()
    try:
        rows = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    finally:
        con.close()
    return [(str(r[0]), str(r[1])) for r in rows]


def _keys(folder: Path) -> list[str]:
    table = read_canonical(folder, "dossiers")
    return sorted(table["dossier_code"].to_pylist()) if table is not None else []


@pytest.fixture
def parts_store(store: Path, province: Path) -> Path:
    """The store with the province's dossiers as generated: a folder of Parquet parts."""
    shutil.copytree(province / "dossiers", store / "dossiers")
    return store


def test_a_new_table_is_the_staged_part_itself(
    store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    path = write_csv(tmp_path / "export.csv", export_rows[:50])
    with check_files("dossiers", [path], str(store)) as checked:
        assert checked.incoming is not None
        staged = _inodes(checked.incoming)
        assert len(staged) == 1
        apply_checked(checked)
    table = store / "dossiers.parquet"
    assert table.stat().st_ino in staged  # renamed into place, not written again
    assert len(_keys(store)) == 50
    assert not [p for p in store.iterdir() if p.name.startswith(STAGE_PREFIX)]


def test_new_rows_join_a_folder_of_parts_as_the_staged_part(
    parts_store: Path, tmp_path: Path, export_rows: list[list[str]]
) -> None:
    before = _keys(parts_store)
    generated = sorted((parts_store / "dossiers").glob("*.parquet"))
    path = write_csv(tmp_path / "export.csv", _renamed(export_rows[:80], "-moi"))
    with check_files("dossiers", [path], str(parts_store)) as checked:
        assert checked.incoming is not None
        staged = _inodes(checked.incoming)
        result = apply_checked(checked)
    assert result.diff.new == 80
    added = sorted(set((parts_store / "dossiers").glob("*.parquet")) - set(generated))
    assert [p.name.startswith("import-") for p in added] == [True]
    assert added[0].stat().st_ino in staged
    assert _layout(added[0]) == _layout(generated[0])  # one schema for the folder's readers
    assert _keys(parts_store) == sorted([*before, *(f"{r[1]}-moi" for r in export_rows[:80])])
    files = sorted(parts_store.rglob("*"))
    again = import_files("dossiers", [path], str(parts_store))  # idempotent: no write
    assert again.diff.new == 0 and again.diff.unchanged == 80 and not again.written
    assert sorted(parts_store.rglob("*")) == files


_KILLED = """
import os, sys
from pathlib import Path
import chiso.storage.journal as journal
import chiso.storage.targets as targets
from chiso.ingest.importer import import_files

if sys.argv[3] == "after":  # the journal is written and synced, nothing renamed yet
    journal._replay = lambda folder, steps: os._exit(9)
else:  # the staged parts and pending files are written, no journal yet
    targets.commit = lambda folder, **change: os._exit(9)
import_files("dossiers", [Path(sys.argv[1])], sys.argv[2])
"""


@pytest.mark.parametrize("point", ["before", "after"])
def test_killed_around_the_commit_point_the_folder_is_before_or_after(
    parts_store: Path, tmp_path: Path, export_rows: list[list[str]], point: str
) -> None:
    before = _keys(parts_store)
    # 40 updated rows (the export has no seconds: their parts are rewritten), 60 new ones
    rows = export_rows[:40] + _renamed(export_rows[:60], "-moi")
    path = write_csv(tmp_path / "export.csv", rows)
    env = {**os.environ, "PYTHONPATH": str(Path("src").resolve())}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED, str(path), str(parts_store), point],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr
    assert any(p.name.startswith(STAGE_PREFIX) for p in parts_store.iterdir())
    recover(parts_store)  # what the next opening of the folder does
    leftovers = [
        p
        for p in parts_store.rglob("*")
        if p.name.startswith(STAGE_PREFIX) or p.name.endswith(".pending") or p.name == JOURNAL
    ]
    assert leftovers == []
    expected = before if point == "before" else sorted({*before, *(r[1] for r in rows)})
    assert _keys(parts_store) == expected
