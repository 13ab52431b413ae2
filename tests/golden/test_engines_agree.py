"""The synthetic province scores to the same JSON on DuckDB, PostgreSQL and PySpark."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chiso.domain.periods import parse_period
from chiso.engine.runner import Level, score
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder
from chiso.synth.generator import generate


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("province")
    generate(folder, dossiers=6000, start=date(2026, 1, 1), end=date(2026, 4, 1), seed=11)
    return folder


def _json(folder: Path, engine: str, index_id: str) -> list[dict[str, object]]:
    """Scanned on PostgreSQL and PySpark (their stored cubes: tests/chiso/storage/test_cubes.py)."""
    periods = [parse_period(p) for p in ("2026-01", "2026-02", "2026-Q1")]
    results = score(
        open_folder(folder, engine, cubes=engine == "duckdb"),
        load_index_set(index_id),
        periods,  # type: ignore[arg-type]
        level=Level("all"),
    )
    return [r.to_json() for r in results]


@pytest.mark.parametrize("index_id", ["dienbien-459-2023", "vn-766-portal-2025"])
@pytest.mark.parametrize(
    "engine",
    [
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("pyspark", marks=pytest.mark.spark),
    ],
)
def test_engine_gives_the_same_json_as_duckdb(province: Path, engine: str, index_id: str) -> None:
    expected = _json(province, "duckdb", index_id)
    assert expected[0]["units"], "no units scored"
    assert _json(province, engine, index_id) == expected


def test_the_synthetic_ranking_spreads_over_every_class(province: Path) -> None:
    doc = _json(province, "duckdb", "dienbien-459-2023")[2]
    units = doc["units"]
    classes = {u["class"] for u in units if u["has_data"]}  # type: ignore[union-attr]
    assert classes == {"excellent", "good", "fair", "average", "weak"}
    # the units without a record in the quarter are unscored and listed last
    empty = [u for u in units if not u["has_data"]]  # type: ignore[union-attr]
    assert units[len(units) - len(empty) :] == empty  # type: ignore[index, arg-type]
    assert all(u["class"] is None and u["rank"] is None for u in empty)  # type: ignore[index]
