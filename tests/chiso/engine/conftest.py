"""The folder of the dienbien-459-2023 golden case (every indicator), shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builders import make_dossier, make_procedure
from chiso.storage.folder import write_tables

CASE = Path("src/chiso/index_sets/dienbien-459-2023/cases/every_indicator.yaml")


@pytest.fixture
def data(tmp_path: Path) -> Path:
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
