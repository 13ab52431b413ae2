"""The shipped procedure catalogue and its loader."""

from __future__ import annotations

import unicodedata
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from chiso.domain.records import TABLES
from chiso.domain.units import UnitKind, UnitTree
from chiso.errors import UserError
from chiso.synth.catalogue import COLUMNS, load_catalogue

SHIPPED = resources.files("chiso") / "data" / "procedures" / "catalogue.csv"
CATALOGUE = load_catalogue()


def test_the_catalogue_has_a_few_hundred_unique_procedures() -> None:
    assert 250 <= len(CATALOGUE) <= 450
    codes = [e.procedure_code for e in CATALOGUE]
    names = [e.name for e in CATALOGUE]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


def test_the_file_is_nfc_utf8() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "Đăng ký khai sinh" in text
    assert "Chứng thực chữ ký" in text


def test_it_covers_the_usual_fields_and_both_levels() -> None:
    fields = Counter(e.field for e in CATALOGUE)
    for field in (
        "Hộ tịch",
        "Chứng thực",
        "Bảo trợ xã hội",
        "Người có công",
        "Đất đai",
        "Xây dựng",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Lý lịch tư pháp",
    ):
        assert fields[field] > 0, field
    levels = Counter(e.level for e in CATALOGUE)
    assert levels["xa"] > 100 and levels["tinh"] > 100


def test_online_levels_fees_and_time_limits_are_mixed() -> None:
    online = Counter(e.online_level.value for e in CATALOGUE)
    assert all(online[level] >= 30 for level in ("full", "partial", "none"))
    assert 0.2 < sum(e.has_fee for e in CATALOGUE) / len(CATALOGUE) < 0.8
    limits = {e.time_limit_days for e in CATALOGUE}
    assert 0 in limits and max(limits) <= 30
    assert all(e.has_fee == (e.fee_vnd > 0) for e in CATALOGUE)


def test_every_provincial_procedure_names_a_department_of_the_tree() -> None:
    tree = UnitTree.dienbien()
    for e in CATALOGUE:
        if e.level == "tinh":
            assert e.agency_code is not None
            assert tree.get(e.agency_code).kind is UnitKind.SO
        else:
            assert e.agency_code is None
    departments = {u.unit_code for u in tree if u.kind is UnitKind.SO}
    assert departments == {e.agency_code for e in CATALOGUE if e.level == "tinh"}


def test_the_procedures_table_has_the_canonical_columns() -> None:
    table = CATALOGUE.procedures_table()
    assert table.column_names == list(TABLES["procedures"])
    assert table.num_rows == len(CATALOGUE)


def write(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "catalogue.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


GOOD_ROW = "1.000001,Đăng ký khai sinh,Hộ tịch,xa,full,false,0,true,0,xa,,10"


def test_it_loads_a_small_file(tmp_path: Path) -> None:
    cat = load_catalogue(write(tmp_path, ",".join(COLUMNS), GOOD_ROW))
    assert [e.procedure_code for e in cat] == ["1.000001"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (GOOD_ROW.replace(",xa,full", ",huyen,full"), "level"),
        (GOOD_ROW.replace("full", "toàn trình"), "online_level"),
        (GOOD_ROW.replace("false,0,true", "no,0,true"), "has_fee"),
        (GOOD_ROW.replace(",0,true,", ",-1,true,"), "time_limit_days"),
        (GOOD_ROW.replace(",xa,,", ",xa,so-tu-phap,"), "agency_code"),
        (unicodedata.normalize("NFD", GOOD_ROW), "NFC"),
    ],
)
def test_it_rejects_a_bad_row_with_its_line(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(UserError, match=message) as err:
        load_catalogue(write(tmp_path, ",".join(COLUMNS), row))
    assert ":2:" in err.value.message


def test_it_rejects_a_wrong_header_and_duplicate_codes(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="columns"):
        load_catalogue(write(tmp_path, "code,name", "1,a"))
    with pytest.raises(UserError, match="twice"):
        load_catalogue(write(tmp_path, ",".join(COLUMNS), GOOD_ROW, GOOD_ROW))
