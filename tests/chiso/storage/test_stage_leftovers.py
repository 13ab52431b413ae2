"""A killed import's staging folder does not stay in the data folder: opening the folder
removes the staging folders whose process is gone, and only those."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from chiso.ingest.stage import Stage
from chiso.storage.journal import STAGE_PREFIX, UNOWNED_STAGE_SECONDS, recover


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _stage(folder: Path, name: str) -> Path:
    stage = folder / name
    stage.mkdir()
    (stage / "part-000000.parquet").write_bytes(b"PAR1" * 1000)
    return stage


def test_opening_removes_the_staging_folder_of_a_dead_import_only(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    dead = _stage(folder, f"{STAGE_PREFIX}{_dead_pid()}-abc123")
    mine = Stage("dossiers", parent=folder)  # this process: alive, its import under way
    (mine.dir / "rows.1.pending").write_bytes(b"")  # inside a stage: not the folder's files
    old = _stage(folder, f"{STAGE_PREFIX}oldname1")  # named before names carried a pid
    young = _stage(folder, f"{STAGE_PREFIX}newname1")
    past = time.time() - UNOWNED_STAGE_SECONDS - 60
    os.utime(old, (past, past))
    recover(folder)
    assert not dead.exists() and not old.exists()
    assert mine.dir.is_dir() and (mine.dir / "rows.1.pending").exists() and young.is_dir()
    assert mine.dir.name.startswith(f"{STAGE_PREFIX}{os.getpid()}-")
    mine.close()
