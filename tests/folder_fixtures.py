"""Data-folder fixtures shared by several test directories (each conftest imports the ones
its tests use, so a test can live beside the module it tests): ``data`` — the folder of
the dienbien-459-2023 golden case (every indicator); ``province``, ``source_rows``,
``export_rows``, ``store`` — a small synthetic province, its dossiers as a messy
Vietnamese export, and an empty folder that knows its units and procedures."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml

from builders import make_dossier, make_procedure
from chiso.domain.units import UnitTree
from chiso.storage.folder import write_tables
from chiso.synth.generator import generate
from exports import cells

CASE = Path("src/chiso/index_sets/dienbien-459-2023/cases/every_indicator.yaml")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The golden case's tables written as a data folder."""
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    tables = case["tables"]
    write_tables(
        tmp_path,
        {
            "procedures": [
                make_procedure(code=r.pop("procedure_code"), **r) for r in tables["procedures"]
            ],
            "dossiers": [
                make_dossier(
                    code=r.pop("dossier_code"),
                    unit=r.pop("unit_code"),
                    received=r.pop("received_at"),
                    **r,
                )
                for r in tables["dossiers"]
            ],
            "petitions": tables["petitions"],
            "ratings": tables["ratings"],
        },
    )
    return tmp_path


@pytest.fixture(scope="session")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated once: units, procedures and 600 dossiers of Sept–Oct 2026."""
    folder = tmp_path_factory.mktemp("province")
    generate(folder, dossiers=600, start=date(2026, 9, 1), end=date(2026, 11, 1), seed=11)
    return folder


@pytest.fixture(scope="session")
def source_rows(province: Path) -> list[dict[str, Any]]:
    """The generated dossiers, canonical, sorted by code."""
    rows = pq.read_table(sorted((province / "dossiers").glob("*.parquet"))).to_pylist()
    for row in rows:  # exports print minutes only
        for key in ("received_at", "due_at", "finished_at", "returned_at"):
            if row[key] is not None:
                row[key] = row[key].replace(second=0, microsecond=0)
    return sorted(rows, key=lambda r: r["dossier_code"])


@pytest.fixture(scope="session")
def export_rows(source_rows: list[dict[str, Any]]) -> list[list[str]]:
    """The dossiers as text cells of a Vietnamese one-stop export (unit names, not codes)."""
    names = {u.unit_code: u.name for u in UnitTree.dienbien()}
    return [cells(r, i + 1, names) for i, r in enumerate(source_rows)]


@pytest.fixture
def store(province: Path, tmp_path: Path) -> Path:
    """An empty data folder that knows the province's units and procedures."""
    folder = tmp_path / "store"
    folder.mkdir()
    for name in ("units.parquet", "procedures.parquet"):
        shutil.copy(province / name, folder / name)
    return folder
