"""The province setting chooses the tree of the generator and of imports without a units table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chiso.errors import UserError
from chiso.portal.importer import tree_of_folder
from chiso.synth.generator import generate


def test_generate_writes_the_chosen_province_with_its_official_communes(tmp_path: Path) -> None:
    summary = generate(
        tmp_path, dossiers=400, start=date(2026, 1, 1), end=date(2026, 1, 15), province="Lai Châu"
    )
    units = pq.read_table(tmp_path / "units.parquet").to_pylist()
    assert [u["unit_code"] for u in units if u["kind"] == "tinh"] == ["12"]
    communes = [u for u in units if u["kind"] in ("xa", "phuong")]
    assert len(communes) == 38 and all(len(u["unit_code"]) == 5 for u in communes)
    assert summary.dossiers == 400
    dossiers = pq.read_table(tmp_path / "dossiers").column("unit_code").to_pylist()
    assert set(dossiers) <= {u["unit_code"] for u in units}


def test_the_setting_is_read_when_no_province_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHISO_PROVINCE", "12")
    generate(tmp_path, dossiers=50, start=date(2026, 1, 1), end=date(2026, 1, 8))
    units = pq.read_table(tmp_path / "units.parquet").column("unit_code").to_pylist()
    assert "12" in units and "11" not in units


def test_a_province_other_than_dien_bien_starts_on_1_july_2025(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="01/07/2025"):
        generate(tmp_path, dossiers=10, start=date(2025, 1, 1), end=date(2025, 2, 1),
                 province="12")  # fmt: skip


def test_a_folder_without_units_takes_the_configured_province(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "03127" in tree_of_folder(tmp_path)  # Điện Biên by default
    monkeypatch.setenv("CHISO_PROVINCE", "Phú Thọ")
    tree = tree_of_folder(tmp_path)
    assert tree.get("25").name == "UBND tỉnh Phú Thọ" and "03127" not in tree
