"""Stored partial aggregates: the same scores as a fresh scan, scanning only changed parts."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from chiso.domain.periods import Period, months_of
from chiso.engine import measures
from chiso.engine.runner import Level, score
from chiso.spec.loader import load_index_set
from chiso.storage import cubes
from chiso.storage.backends import BackendName
from chiso.storage.cache import CACHE
from chiso.storage.store import open_folder
from chiso.storage.writer import write_rows
from chiso.synth.generator import generate

INDEX_SET = load_index_set("dienbien-459-2023")
PERIODS = months_of(2026)[8:11]  # September to November


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cubes") / "data"
    generate(
        out, dossiers=3000, start=date(2026, 9, 1), end=date(2026, 12, 1), seed=11, chunk_rows=1000
    )
    return out


@pytest.fixture
def folder(generated: Path, tmp_path: Path) -> Path:
    """A private copy: the tests change the data."""
    copy = tmp_path / "data"
    shutil.copytree(generated, copy, ignore=shutil.ignore_patterns(".chiso-cache"))
    return copy


def _scores(
    folder: Path, *, stored: bool, level: Level | None = None, backend: BackendName = "duckdb"
) -> list[Any]:
    store = open_folder(folder, backend, cubes=stored)
    results = score(store, INDEX_SET, PERIODS, level=level or Level("all"))
    exact = [
        (u.unit_code, i.code, i.numerator, i.denominator, i.points)
        for r in results
        for u in r.units
        for i in u.indicators
    ]
    return [r.to_json() for r in results] + [exact]


def _scanned(folder: Path, **kwargs: Any) -> tuple[int, list[Any]]:
    """Parts scanned by one stored-cube score, and the scores."""
    before = cubes.STATS["parts_scanned"]
    result = _scores(folder, stored=True, **kwargs)
    return cubes.STATS["parts_scanned"] - before, result


def _dossier_parts(folder: Path) -> list[Path]:
    return sorted((folder / "dossiers").glob("*.parquet"))


def _forget_memory() -> None:
    cubes.clear_memory()


def test_stored_cubes_give_the_scores_of_a_fresh_scan_and_are_not_rescanned(folder: Path) -> None:
    fresh = _scores(folder, stored=False)
    first, result = _scanned(folder)
    assert result == fresh
    assert first >= len(_dossier_parts(folder)) == 3
    again, result = _scanned(folder)
    assert (again, result) == (0, fresh)
    assert list((folder / cubes.CUBE_DIR).glob("*.parquet"))


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("pyspark", marks=pytest.mark.spark),
    ],
)
def test_every_engine_keeps_its_own_cubes_with_duckdbs_scores(
    folder: Path, backend: BackendName
) -> None:
    """PostgreSQL and Spark folders build, reuse and extend their cubes (their own: the
    engine is part of the query's identity) and score what DuckDB scans."""
    duckdb_scores = _scores(folder, stored=False)
    _scanned(folder)  # DuckDB's cubes, which the other engine must not read
    first, result = _scanned(folder, backend=backend)
    assert first >= len(_dossier_parts(folder)) == 3
    assert result == duckdb_scores
    _forget_memory()
    assert _scanned(folder, backend=backend) == (0, duckdb_scores)
    new = _dossier_parts(folder)[0].with_name("part-new.parquet")
    pq.write_table(pq.read_table(_dossier_parts(folder)[0]).slice(0, 10), new)
    _dossier_parts(folder)[0].unlink()  # ten of its dossiers, in a new part
    scanned, result = _scanned(folder, backend=backend)
    assert (scanned, result) == (1, _scores(folder, stored=False))


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("duckdb"),
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("pyspark", marks=pytest.mark.spark),
    ],
)
def test_a_stored_score_in_a_new_process_opens_no_engine(
    folder: Path, backend: BackendName
) -> None:
    """Planning needs the columns' types only and the unit tree is read from the folder's
    files: a new process that finds the cubes on disk scores without connecting (on
    PostgreSQL a connection copies the dossiers in; on Spark it starts a session)."""
    fresh = _scores(folder, stored=False)
    _scanned(folder, backend=backend)
    CACHE.clear()  # as in a new process
    measures._PLANS.clear()
    store = open_folder(folder, backend, cubes=True)
    results = score(store, INDEX_SET, PERIODS, level=Level("all"))
    assert [r.to_json() for r in results] == fresh[:-1]
    assert not store.connected


def test_a_score_from_stored_cubes_opens_no_connection(folder: Path) -> None:
    """Once the process knows the folder's unit tree (read once per process)."""
    fresh = _scores(folder, stored=False)
    _scanned(folder)
    for forget in (False, True):
        if forget:
            _forget_memory()
        store = open_folder(folder, cubes=True)
        results = score(store, INDEX_SET, PERIODS, level=Level("all"))
        assert [r.to_json() for r in results] == fresh[:-1]
        assert not store.connected
    store = open_folder(folder, cubes=False)
    score(store, INDEX_SET, PERIODS[:1], level=Level("all"))
    assert store.connected


def test_cubes_are_read_back_from_the_folder_by_a_new_process(folder: Path) -> None:
    fresh = _scores(folder, stored=False)
    _scanned(folder)
    _forget_memory()
    assert _scanned(folder) == (0, fresh)


def test_a_new_part_is_the_only_part_scanned(folder: Path) -> None:
    _scanned(folder)
    template = pq.read_table(_dossier_parts(folder)[0]).slice(0, 1)
    row = template.to_pylist()[0] | {
        "dossier_code": "NEW-1",
        "received_at": datetime(2026, 10, 20, 9, 0),
        "finished_at": None,
        "status": "processing",
    }
    pq.write_table(
        template.from_pylist([row], schema=template.schema),
        folder / "dossiers" / "part-new.parquet",
    )
    scanned, result = _scanned(folder)
    assert scanned == 1
    assert result == _scores(folder, stored=False)


def test_an_import_replacing_a_dossier_rescans_only_the_parts_it_rewrote(folder: Path) -> None:
    _scanned(folder)
    old = pq.read_table(_dossier_parts(folder)[1]).slice(5, 1).to_pylist()[0]
    changed = old | {"finished_at": None, "status": "processing", "supplement_count": 3}
    write_rows(str(folder), "dossiers", [changed])
    scanned, result = _scanned(folder)
    assert scanned == 2  # the part that held the dossier, rewritten, and the new part
    assert result == _scores(folder, stored=False)


def test_a_removed_part_no_longer_counts(folder: Path) -> None:
    _scanned(folder)
    _dossier_parts(folder)[0].unlink()
    scanned, result = _scanned(folder)
    assert scanned == 0
    assert result == _scores(folder, stored=False)


def test_new_ratings_rescan_every_part(folder: Path) -> None:
    _scanned(folder)
    rated = pq.read_table(folder / "ratings" / "part-00000.parquet")
    unhappy = rated.to_pylist()
    for row in unhappy[:200]:
        row["satisfied"] = False
    pq.write_table(
        rated.from_pylist(unhappy, schema=rated.schema), folder / "ratings" / "part-00000.parquet"
    )
    scanned, result = _scanned(folder)
    assert scanned >= 3
    assert result == _scores(folder, stored=False)


def test_one_unit_in_a_live_period_is_its_own_query(folder: Path) -> None:
    unit = pq.read_table(_dossier_parts(folder)[0]).column("unit_code")[0].as_py()
    live = Period.live(date(2026, 11, 1), datetime(2026, 11, 20, 10, 0))
    level = Level("units", (unit,))
    fresh = score(open_folder(folder, cubes=False), INDEX_SET, [live], level=level)[0].to_json()
    scans = []
    for _ in range(2):
        before = cubes.STATS["parts_scanned"]
        stored = score(open_folder(folder), INDEX_SET, [live], level=level)[0].to_json()
        scans.append(cubes.STATS["parts_scanned"] - before)
        assert stored == fresh
    assert scans[0] >= 3  # parts holding none of the unit's rows are remembered too
    assert scans[1] == 0


def test_cubes_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_CUBES", "0")
    assert open_folder(folder).cubes is None
    monkeypatch.setenv("CHISO_CUBES", "1")
    assert open_folder(folder).cubes is not None


def test_a_damaged_cube_file_is_recomputed(folder: Path) -> None:
    fresh = _scores(folder, stored=False)
    _scanned(folder)
    _forget_memory()
    for path in (folder / cubes.CUBE_DIR).glob("*.parquet"):
        path.write_bytes(b"not parquet")
    scanned, result = _scanned(folder)
    assert scanned >= 3
    assert result == fresh


def test_a_part_named_by_spark_as_a_uri_is_read_back_as_its_path() -> None:
    assert cubes.part_path("file:/tmp/d%20x/part-0+%25.parquet") == "/tmp/d x/part-0+%.parquet"
    assert cubes.part_path("file:///tmp/a.parquet") == "/tmp/a.parquet"
    assert cubes.part_path("/tmp/a b.parquet") == "/tmp/a b.parquet"  # DuckDB, PostgreSQL
