"""The one writer path: several tables committed together, all or nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from builders import make_procedure
from chiso.errors import InternalError
from chiso.storage.targets import Staged
from chiso.storage.writer import commit_rows, commit_staged


def _rating(code: str) -> dict[str, object]:
    return {"dossier_code": code, "rated_at": datetime(2026, 10, 5, 9, 30), "channel": "qr",
            "satisfied": True}  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _broken_stage(tmp_path: Path) -> list[Staged]:
    """Good procedures, then ratings whose staged file is not Parquet at all."""
    good = tmp_path / "stage" / "procedures"
    commit_rows(str(good), {"procedures": [make_procedure(code="P-NEW")]})
    broken = tmp_path / "stage" / "ratings.parquet"
    broken.write_bytes(b"not parquet")
    return [Staged("procedures", good / "procedures.parquet"), Staged("ratings", broken)]


def test_tables_committed_together_change_a_folder_together(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    diffs = commit_rows(
        str(folder),
        {"procedures": [make_procedure(code="P-1")], "ratings": [_rating("A-1"), _rating("A-2")]},
    )
    assert (diffs["procedures"].new, diffs["ratings"].new) == (1, 2)
    again = commit_rows(str(folder), {"procedures": [make_procedure(code="P-1")]})
    assert again["procedures"].writes == 0


def test_a_failure_in_the_second_table_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    commit_rows(str(folder), {"procedures": [make_procedure(code="P-OLD")],
                              "ratings": [_rating("A-1")]})  # fmt: skip
    before = _files(folder)
    with pytest.raises(duckdb.Error):
        commit_staged(str(folder), _broken_stage(tmp_path))
    assert _files(folder) == before  # the procedures were not written, no pending file left


def test_a_failure_in_the_second_table_rolls_a_database_back(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'data.duckdb'}"
    commit_rows(url, {"procedures": [make_procedure(code="P-OLD")]})
    with pytest.raises(duckdb.Error):
        commit_staged(url, _broken_stage(tmp_path))
    con = duckdb.connect(str(tmp_path / "data.duckdb"))
    codes = [r[0] for r in con.execute("SELECT procedure_code FROM procedures").fetchall()]
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    con.close()
    assert codes == ["P-OLD"]
    assert "ratings" not in tables


def test_a_table_staged_twice_in_one_commit_is_a_bug(tmp_path: Path) -> None:
    staged = [Staged("ratings", tmp_path / "a.parquet"), Staged("ratings", tmp_path / "b.parquet")]
    with pytest.raises(InternalError):
        commit_staged(str(tmp_path), staged)
