"""open_database: a DuckDB file or PostgreSQL schema holding the canonical tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from builders import duckdb_file_of
from chiso.domain.periods import Period
from chiso.engine.runner import Level, score_one
from chiso.errors import UserError
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_database, open_folder
from chiso.synth.generator import generate


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("db") / "data"
    generate(out, dossiers=800, start=date(2026, 9, 1), end=date(2026, 11, 1), seed=5)
    return out


def test_a_duckdb_file_scores_like_the_folder_it_was_made_from(
    folder: Path, tmp_path: Path
) -> None:
    store = open_database(duckdb_file_of(folder, tmp_path / "c.duckdb"))
    assert store.has("dossiers")
    index_set, period = load_index_set("dienbien-459-2023"), Period.of_month(2026, 10)
    from_db = score_one(store, index_set, period, level=Level("all")).to_json()
    from_folder = score_one(open_folder(folder), index_set, period, level=Level("all")).to_json()
    assert from_db == from_folder


def test_a_database_without_dossiers_is_named(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(UserError, match="không thấy bảng “dossiers”"):
        open_database(f"duckdb:///{tmp_path / 'empty.duckdb'}")
