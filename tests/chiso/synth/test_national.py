"""The synthetic nation: 34 provinces, 3,321 communes, every dossier in its own province."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from chiso.domain.periods import parse_period
from chiso.engine.runner import Level, score
from chiso.errors import UserError
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder
from chiso.synth.generator import generate_national
from chiso.synth.national import PROVINCES, national_tree, province_shares

DOSSIERS = 34_000


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nation")
    generate_national(
        folder, dossiers=DOSSIERS, start=date(2026, 3, 1), end=date(2026, 4, 1), chunk_rows=7000
    )
    return folder


def _sql(folder: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    for table in ("dossiers", "ratings"):
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{folder}/{table}/*.parquet')"
        )
    for table in ("units", "petitions"):
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{folder}/{table}.parquet')"
        )
    return con.execute(query).fetchall()


def test_the_tree_has_the_34_provinces_and_their_3321_communes() -> None:
    tree = national_tree()
    provinces = [u for u in tree if u.kind.value == "tinh"]
    assert len(provinces) == 34 and len({u.name for u in provinces}) == 34
    communes = [u for u in tree if u.kind.value in ("xa", "phuong", "dac_khu")]
    assert len(communes) == 3321 and len({u.name for u in communes}) == 3321
    for unit in tree:
        if unit.kind.value == "so":  # departments sit under their own province's code
            assert unit.unit_code.startswith(unit.parent_code + "-")


def test_the_communes_are_the_official_ones_with_their_codes() -> None:
    tree = national_tree()
    assert tree.get("03127").name == "UBND phường Điện Biên Phủ, tỉnh Điện Biên"
    assert tree.get("03127").parent_code == "11"
    assert tree.get("07192").kind.value == "dac_khu"  # đặc khu Cô Tô, Quảng Ninh
    assert tree.get("07192").parent_code == "22"


def test_the_province_list_agrees_with_the_package() -> None:
    from chiso.domain.provinces import province_tree, provinces

    kinds = ("xa", "phuong", "dac_khu")
    official = [
        (
            p.code,
            p.name,
            sum(u.kind.value in kinds for u in province_tree(p).valid_on(date(2026, 1, 1))),
            p.city,
        )
        for p in provinces()
    ]
    assert official == list(PROVINCES)


def test_every_province_gets_its_share_of_the_dossiers(nation: Path) -> None:
    rows = _sql(
        nation,
        "SELECT u.parent_code, count(*) FROM dossiers d JOIN units u USING (unit_code) "
        "GROUP BY 1 ORDER BY 1",
    )
    expected = sorted(zip((p[0] for p in PROVINCES), province_shares(DOSSIERS), strict=True))
    assert rows == expected


def test_codes_are_unique_across_provinces(nation: Path) -> None:
    assert _sql(
        nation,
        "SELECT count(*), count(DISTINCT dossier_code), "
        "(SELECT count(*) - count(DISTINCT petition_code) FROM petitions), "
        "(SELECT count(*) FROM ratings r ANTI JOIN dossiers d USING (dossier_code)) FROM dossiers",
    ) == [(DOSSIERS, DOSSIERS, 0, 0)]
    # provincial procedures go to each province's own departments (the catalogue remapped)
    departments = _sql(
        nation,
        "SELECT count(DISTINCT u.parent_code), count(DISTINCT unit_code) FROM dossiers d "
        "JOIN units u USING (unit_code) WHERE u.kind = 'so'",
    )
    assert departments[0][0] == 34 and departments[0][1] > 34 * 10


def test_the_nation_scores_every_producing_unit(nation: Path) -> None:
    results = score(
        open_folder(nation),
        load_index_set("dienbien-459-2023"),
        [parse_period("2026-03")],  # type: ignore[list-item]
        level=Level("all"),
    )
    assert len(results[0].units) == 3321 + 34 * 18


def test_a_period_before_the_two_level_government_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="01/07/2025"):
        generate_national(tmp_path, dossiers=10, start=date(2025, 6, 1), end=date(2025, 8, 1))
