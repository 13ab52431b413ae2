"""The unit tree of a data folder: read once per process, re-read when its files change."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from chiso.domain.records import TABLES
from chiso.errors import UserError
from chiso.storage.store import open_folder
from chiso.storage.unitdata import tree_of

UNITS = [
    {"unit_code": "T", "name": "Tỉnh Thử", "kind": "tinh", "valid_from": "2020-01-01"},
    {"unit_code": "X1", "name": "Xã Một", "kind": "xa", "parent_code": "T",
     "valid_from": "2020-01-01"},
]  # fmt: skip


def _write(path: Path, table: str, rows: list[dict[str, str]]) -> None:
    columns = list(TABLES[table])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    _write(tmp_path / "units.csv", "units", UNITS)
    _write(tmp_path / "dossiers.csv", "dossiers", [])
    return tmp_path


def test_a_folder_tree_is_built_once_per_process(folder: Path) -> None:
    first = tree_of(open_folder(folder))
    again = open_folder(folder)
    assert tree_of(again) is first
    assert not again.connected  # nothing read


def test_a_changed_units_file_gives_a_new_tree(folder: Path) -> None:
    assert "X2" not in tree_of(open_folder(folder))
    more = [*UNITS, {"unit_code": "X2", "name": "Xã Hai", "kind": "xa", "parent_code": "T",
                     "valid_from": "2020-01-01"}]  # fmt: skip
    _write(folder / "units.csv", "units", more)
    os.utime(folder / "units.csv", ns=(1, 1))  # a new identity even within the same tick
    assert tree_of(open_folder(folder)).get("X2").name == "Xã Hai"


def test_a_missing_required_column_fails_when_the_folder_is_opened(folder: Path) -> None:
    (folder / "dossiers.csv").write_text("dossier_code,unit_code\n", encoding="utf-8")
    with pytest.raises(
        UserError, match=r"dossiers\.csv: bảng “dossiers” thiếu cột bắt buộc .*procedure_code"
    ):
        open_folder(folder)
