"""The national unit tree (data/units/national-2025.csv, vendored from the vietnam-provinces
package, a development dependency) and the province setting."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from chiso.domain.provinces import (
    configured_province,
    departments,
    find_province,
    province_tree,
    provinces,
)
from chiso.domain.units import COMMUNE_KINDS, UnitTree
from chiso.errors import UserError

TWO_LEVEL = date(2025, 7, 1)
ROOT = Path(__file__).resolve().parents[3]


def test_34_provinces_and_3321_commune_level_units() -> None:
    assert len(provinces()) == 34
    assert sum(p.city for p in provinces()) == 6
    communes = [
        u for p in provinces() for u in province_tree(p).valid_on(TWO_LEVEL)
        if u.kind.value in COMMUNE_KINDS
    ]  # fmt: skip
    assert len(communes) == 3321
    assert len({u.unit_code for u in communes}) == 3321
    kinds = [u.kind.value for u in communes]
    assert (kinds.count("xa"), kinds.count("phuong"), kinds.count("dac_khu")) == (2621, 687, 13)


def test_dien_bien_is_the_shipped_tree_and_agrees_with_the_package() -> None:
    assert province_tree("11") is UnitTree.dienbien()
    from vietnam_provinces import ProvinceCode, Ward

    official = {f"{int(w.code):05d}": w.name for w in Ward.iter_by_province(ProvinceCode(11))}
    shipped = {
        u.unit_code: u.name.removeprefix("UBND ")
        for u in UnitTree.dienbien().valid_on(TWO_LEVEL)
        if u.kind.value in COMMUNE_KINDS
    }
    assert {c: n[0].upper() + n[1:] for c, n in shipped.items()} == official


def test_dien_bien_before_1_july_2025_keeps_its_communes_and_successors() -> None:
    tree = province_tree("11")
    old = [u for u in tree.valid_on(date(2025, 6, 30)) if u.kind.value in COMMUNE_KINDS]
    assert len(old) == 129
    assert tree.successor_on("03127-cu", TWO_LEVEL).name == "UBND phường Điện Biên Phủ"


def test_another_province_has_its_departments_and_official_communes() -> None:
    tree = province_tree("Quảng Ninh")
    assert tree.get("22").name == "UBND tỉnh Quảng Ninh"
    assert tree.get("so-tu-phap-22").name == "Sở Tư pháp tỉnh Quảng Ninh"
    assert tree.get("07192").name == "UBND đặc khu Cô Tô"
    assert tree.resolve("Cô Tô", on=TWO_LEVEL).unit_code == "07192"
    required = [d for d in departments() if d.required]
    assert len(required) == 12
    assert len([u for u in tree if u.kind.value == "so"]) == 12


@pytest.mark.parametrize(
    ("text", "code"),
    [("11", "11"), ("1", "01"), ("Điện Biên", "11"), ("dien bien", "11"),
     ("Thành phố Huế", "46"), ("TP Hồ Chí Minh", "79"), ("tỉnh Cà Mau", "96")],
)  # fmt: skip
def test_a_province_is_found_by_code_or_name(text: str, code: str) -> None:
    assert find_province(text).code == code


def test_an_unknown_province_says_how_to_list_them() -> None:
    with pytest.raises(UserError, match="không có tỉnh") as caught:
        find_province("Hà Tây")
    assert "chiso units --province all" in (caught.value.hint or "")


def test_the_setting_names_the_province_and_defaults_to_dien_bien() -> None:
    assert configured_province({}).code == "11"
    assert configured_province({"CHISO_PROVINCE": "Lai Châu"}).code == "12"
    with pytest.raises(UserError, match="CHISO_PROVINCE"):
        configured_province({"CHISO_PROVINCE": "xyz"})


def test_the_vendored_list_is_the_packages_list(tmp_path: Path) -> None:
    """data/units/national-2025.csv holds exactly what scripts/vendor_units.py writes from
    the pinned package (re-run the script after upgrading it)."""
    fresh = tmp_path / "national.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/vendor_units.py"), "--out", str(fresh)], check=True
    )
    shipped = ROOT / "src/chiso/data/units/national-2025.csv"
    assert fresh.read_bytes() == shipped.read_bytes()
