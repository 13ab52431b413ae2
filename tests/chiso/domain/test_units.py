"""The Điện Biên unit tree and name resolution, checked against the seed reports."""

from __future__ import annotations

import unicodedata
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.domain.units import (
    AmbiguousUnitError,
    Unit,
    UnitKind,
    UnitTree,
    UnknownUnitError,
    fold_diacritics,
    normalise_name,
)
from chiso.errors import UserError

TREE = UnitTree.dienbien()
DATA = resources.files("chiso") / "data" / "units"
BEFORE, AFTER = date(2025, 6, 30), date(2025, 7, 1)


def resolved(names: dict[str, str], *, on: date, within: str) -> dict[str, str]:
    return {name: TREE.resolve(name, on=on, within=within).unit_code for name in names}


# --- every name printed in the seed tables --------------------------------------------------

SEED_000 = {  # UBND huyện Mường Ảng, tháng 11/2024: annex table, then narrative-only spelling
    "UBND xã Mường Lạn": "03313-cu",
    "UBND xã Xuân Lao": "03302-cu",
    "UBND xã Nậm Lịch": "03312-cu",
    "UBND xã Ảng Tờ": "03292-cu",
    "UBND xã Ngòi Cáy": "03287-cu",
    "UBND Thị trấn Mường Ảng": "03256-cu",
    "UBND xã Búng Lao": "03301-cu",
    "UBND xã Ảng Nưa": "03307-cu",
    "UBND xã Ảng Cang": "03310-cu",
    "UBND xã Mường Đăng": "03286-cu",
    "UBND xã Ảng Tở": "03292-cu",
    "UBND thị trấn Mường Ảng": "03256-cu",
}

SEED_001_LEGIBLE = {  # UBND TP Điện Biên Phủ, tháng 12/2023, OCR without diacritics
    "UBND phuong Him Lam": "03127-cu",
    "UBND xa Thanh Minh": "03145-cu",
    "UBND phuong Nam Thanh": "03139-cu",
    "UBND phuong Muong Thanh": "03136-cu",
    "UBND phuong Thanh Truong": "03142-cu",
    "UBND xa Na Nhan": "03317-cu",
    "UBND phuong Tan Thanh": "03133-cu",
    "UBND phuong Noong Bua": "03124-cu",
    "UBND phuong Thanh Binh": "03130-cu",
    "UBND xa Muong Phang": "03325-cu",
    "Pa Khoang": "03326-cu",
    "Na Nhan": "03317-cu",
    "Muong Phang": "03325-cu",
    "Na Tau": "03316-cu",
    "Muong Thanh": "03136-cu",
    "Noong Bua": "03124-cu",
}

SEED_001_GARBLED = [
    "UBND x& P4 Khoang",
    "UBND xi Na T4u",
    "UBND xd Muong Phing",
    "UBND phudng Him Lam",
]

SEED_002 = {  # UBND huyện Tuần Giáo, tháng 9/2023: Biểu 01, 02, 03 and the narrative
    "UBND xã Mường Mùn": "03268-cu",
    "UBND xã Ta Ma": "03265-cu",
    "UBND xã Tênh Phong": "03304-cu",
    "UBND xã Nà Sáy": "03283-cu",
    "UBND xã Phình Sáng": "03259-cu",
    "UBND xã Rạng Đông": "03260-cu",
    "UBND xã Pú Nhung": "03271-cu",
    "UBND xã Quài Nưa": "03274-cu",
    "UBND thị trấn Tuần Giáo": "03253-cu",
    "UBND xã Chiềng Đông": "03299-cu",
    "UBND xã Pú Xi": "03269-cu",
    "UBND xã Mùn Chung": "03262-cu",
    "UBND xã Mường Khong": "03284-cu",
    "UBND xã Mường Thín": "03277-cu",
    "UBND xã Quài Cang": "03289-cu",
    "UBND xã Tỏa Tình": "03280-cu",
    "UBND xã Nà Tông": "03263-cu",
    "UBND xã Chiềng Sinh": "03298-cu",
    "UBND xã Quài Tở": "03295-cu",
    "UBND xã Tân Phong": "03304-cu",
    "UBND xã Nhà Sáy": "03283-cu",
    "UBND xã Nhà Tông": "03263-cu",
    "UBND xã Quài Tờ": "03295-cu",
    "UBND Quài Nưa": "03274-cu",
    "Toà Tỉnh": "03280-cu",
    "Bộ phận Tiếp nhận và trả kết quả cấp huyện": "099-bptn",
}

SEED_003 = {  # UBND huyện Điện Biên, annex to BC 661 of 26/11/2024
    "Phòng Tư pháp": "100-tu-phap",
    "Nội vụ": "100-noi-vu",
    "Kinh tế và Hạ tầng": "100-kinh-te-ha-tang",
    "Thanh Chăn": "03337-cu",
    "Pa Thơm": "03340-cu",
    "Noong Hẹt": "03352-cu",
    "Núa Ngam": "03358-cu",
    "Thanh Luông": "03328-cu",
    "Thanh Nưa": "03322-cu",
    "Pom Lót": "03356-cu",
    "Thanh Yên": "03346-cu",
    "Thanh Xương": "03334-cu",
    "Na Ú": "03361-cu",
    "Mường Nhà": "03364-cu",
    "Thanh An": "03343-cu",
    "Mường Pòn": "03319-cu",
    "Na Tông": "03365-cu",
    "Sam Mứn": "03355-cu",
    "Thanh Hưng": "03331-cu",
    "Mường Lói": "03367-cu",
    "Noong Luống": "03349-cu",
    "Hệ Muông": "03359-cu",
    "Phu Luông": "03368-cu",
    "Hua Thanh": "03323-cu",
}

SEED_004 = {  # UBND tỉnh Điện Biên, BC 401 of 28/12/2022
    "Sở Tư pháp": "so-tu-phap",
    "Sở Thông tin và Truyền thông": "so-thong-tin-truyen-thong",
    "Sở Văn hóa, Thể thao và Du lịch": "so-van-hoa-the-thao-du-lich",
    "Sở Công Thương": "so-cong-thuong",
    "Sở Y tế": "so-y-te",
    "Sở Lao động, TB và XH": "so-lao-dong-tbxh",
    "Sở Nội vụ": "so-noi-vu",
    "Sở Khoa học và Công nghệ": "so-khoa-hoc-cong-nghe",
    "Sở Kế hoạch và Đầu tư": "so-ke-hoach-dau-tu",
    "Sở Xây dựng": "so-xay-dung",
    "Sở Tài chính": "so-tai-chinh",
    "Sở Tài nguyên và Môi trường": "so-tai-nguyen-moi-truong",
    "Sở Nông nghiệp và PTNT": "so-nong-nghiep-ptnt",
    "Sở Giáo dục và Đào tạo": "so-giao-duc-dao-tao",
    "Sở Giao thông vận tải": "so-giao-thong-van-tai",
    "Thanh tra tỉnh": "thanh-tra-tinh",
    "Ban Dân tộc": "ban-dan-toc",
    "Sở Ngoại vụ": "so-ngoai-vu",
    "UBND huyện Tủa Chùa": "098",
    "UBND huyện Tuần Giáo": "099",
    "UBND thị xã Mường Lay": "095",
    "UBND huyện Điện Biên": "100",
    "UBND huyện Nậm Pồ": "103",
    "UBND huyện Mường Nhé": "096",
    "UBND huyện Mường Ảng": "102",
    "UBND thành phố Điện Biên Phủ": "094",
    "UBND huyện Điện Biên Đông": "101",
    "UBND huyện Mường Chà": "097",
}


def test_it_resolves_every_unit_named_in_seed_000() -> None:
    assert resolved(SEED_000, on=date(2024, 11, 30), within="102") == SEED_000


def test_it_resolves_every_legible_unit_named_in_seed_001() -> None:
    assert resolved(SEED_001_LEGIBLE, on=date(2023, 12, 31), within="094") == SEED_001_LEGIBLE


@pytest.mark.parametrize("name", SEED_001_GARBLED)
def test_it_refuses_garbled_ocr_names_of_seed_001_but_suggests_the_unit(name: str) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        TREE.resolve(name, on=date(2023, 12, 31), within="094")
    assert caught.value.suggestions
    assert caught.value.hint and "có phải là" in caught.value.hint


def test_it_resolves_every_unit_named_in_seed_002() -> None:
    assert resolved(SEED_002, on=date(2023, 9, 30), within="099") == SEED_002


def test_it_resolves_every_unit_named_in_seed_003() -> None:
    assert resolved(SEED_003, on=date(2024, 11, 26), within="100") == SEED_003


def test_it_resolves_every_unit_named_in_seed_004() -> None:
    assert resolved(SEED_004, on=date(2022, 12, 28), within="11") == SEED_004


def test_it_tells_na_tong_of_huyen_dien_bien_from_na_tong_of_tuan_giao() -> None:
    assert TREE.resolve("Na Tông", within="100", on=date(2024, 11, 26)).unit_code == "03365-cu"
    assert TREE.resolve("Nà Tông", within="099", on=date(2023, 9, 30)).unit_code == "03263-cu"
    assert TREE.get("03263-cu").name == "UBND xã Nà Tòng"


# --- codes and history -----------------------------------------------------------------------


def test_it_keeps_a_reused_gso_code_apart_by_date() -> None:
    old, new = TREE.get("03127-cu"), TREE.get("03127")
    assert (old.name, new.name) == ("UBND phường Him Lam", "UBND phường Điện Biên Phủ")
    assert old.gso_code == new.gso_code == "03127"
    assert TREE.resolve("03127", on=date(2023, 12, 31)) == old
    assert TREE.resolve("03127", on=AFTER) == new
    assert TREE.resolve("03127") == new
    assert TREE.resolve("Him Lam", on=date(2023, 12, 31)) == old


@pytest.mark.parametrize(
    ("old_code", "old_name", "new_name"),
    [
        ("03334-cu", "UBND xã Thanh Xương", "UBND phường Mường Thanh"),
        ("03356-cu", "UBND xã Pom Lót", "UBND xã Sam Mứn"),
        ("03283-cu", "UBND xã Nà Sáy", "UBND xã Chiềng Sinh"),
        ("03166-cu", "UBND xã Chà Cang", "UBND xã Mường Chà"),
        ("03202-cu", "UBND xã Mường Mươn", "UBND xã Mường Pồn"),
    ],
)
def test_every_reused_code_names_two_units(old_code: str, old_name: str, new_name: str) -> None:
    assert TREE.get(old_code).name == old_name
    assert TREE.get(old_code.removesuffix("-cu")).name == new_name


SECTION_5_3 = {  # domain.md §5.3: new unit ← pre-2025 units (GSO spelling)
    "03127": "P. Him Lam, P. Tân Thanh, P. Mường Thanh, P. Thanh Bình, P. Thanh Trường, Thanh Minh",
    "03151": "P. Sông Đà, P. Na Lay, Lay Nưa, Xá Tổng",
    "03334": "P. Noong Bua, P. Nam Thanh, Thanh Xương",
    "03158": "Sen Thượng, Leng Su Sìn, Sín Thầu",
    "03160": "Nậm Vì, Chung Chải, xã Mường Nhé",
    "03162": "Pá Mỳ, Nậm Kè",
    "03163": "Huổi Lếnh, Mường Toong",
    "03164": "Na Cô Sa, Quảng Lâm",
    "03166": "Chà Cang, Chà Nưa, Nậm Tin, Pa Tần",
    "03169": "Nà Khoa, Nậm Nhừ, Nậm Chua, Nà Hỳ",
    "03172": "TT Mường Chà, Ma Thì Hồ, Sa Lông, Na Sang",
    "03175": "Nậm Khăn, Chà Tở",
    "03176": "Vàng Đán, Nà Bủng",
    "03181": "Huổi Lèng, Mường Tùng",
    "03193": "Hừa Ngài, Pa Ham",
    "03194": "Huổi Mí, Nậm Nèn",
    "03199": "Phìn Hồ, Si Pa Phìn",
    "03202": "Mường Mươn, Mường Pồn",
    "03203": "TT Điện Biên Đông, Keo Lôm, Na Son",
    "03208": "Phì Nhừ, Xa Dung",
    "03214": "Chiềng Sơ, Luân Giới, Mường Luân",
    "03217": "TT Tủa Chùa, Mường Báng, Nà Tòng",
    "03220": "Huổi Só, Tủa Thàng",
    "03226": "Tả Sìn Thàng, Lao Xả Phình, Xín Chải",
    "03241": "Trung Thu, Tả Phìn, Sính Phình",
    "03244": "Sáng Nhè, Mường Đun, Phình Sáng",
    "03253": "TT Tuần Giáo, Quài Cang, Quài Nưa",
    "03256": "TT Mường Ảng, Ẳng Nưa, Ẳng Cang",
    "03260": "Rạng Đông, Ta Ma, Pú Nhung",
    "03268": "Mùn Chung, Pú Xi, Mường Mùn",
    "03283": "Nà Sáy, Mường Thín, Mường Khong, Chiềng Sinh",
    "03295": "Tỏa Tình, Tênh Phông, Quài Tở",
    "03301": "Ẳng Tở, Chiềng Đông, Búng Lao",
    "03313": "Nặm Lịch, Xuân Lao, Mường Lạn",
    "03316": "Mường Đăng, Ngối Cáy, Nà Tấu",
    "03325": "Nà Nhạn, Pá Khoang, Mường Phăng",
    "03328": "Hua Thanh, Thanh Luông, Thanh Hưng, Thanh Chăn, Thanh Nưa",
    "03349": "Noong Luống, Pa Thơm, Thanh Yên",
    "03352": "Noọng Hẹt, Sam Mứn, Thanh An",
    "03356": "Pom Lót, Na Ư",
    "03358": "Hẹ Muông, Na Tông, Núa Ngam",
    "03368": "Mường Lói, Phu Luông, Mường Nhà",
    "03370": "Nong U, Pú Nhi",
    "03382": "Pú Hồng, Phình Giàng",
    "03385": "Háng Lìa, Tìa Dình",
}


def test_every_pre_2025_unit_of_section_5_3_merges_into_the_listed_unit() -> None:
    merged = []
    for new_code, formers in SECTION_5_3.items():
        assert TREE.get(new_code).is_valid_on(AFTER)
        for former in formers.split(", "):
            old = TREE.resolve(former, on=BEFORE)
            assert old.successor_code == new_code, former
            assert TREE.successor_on(old.unit_code, AFTER) == TREE.get(new_code)
            merged.append(old.unit_code)
    assert len(merged) == len(set(merged)) == 129


def test_every_pre_2025_commune_has_a_successor_valid_on_2025_07_01() -> None:
    communes = [u for u in TREE.valid_on(BEFORE) if u.kind in {"xa", "phuong", "thi_tran"}]
    assert len(communes) == 129
    for unit in communes:
        assert unit.successor_code is not None
        assert TREE.get(unit.successor_code).is_valid_on(AFTER), unit.unit_code


def test_there_are_45_commune_level_units_from_2025_07_01_of_which_3_are_phuong() -> None:
    communes = [u for u in TREE.valid_on(AFTER) if u.kind in {"xa", "phuong", "thi_tran"}]
    assert len(communes) == 45
    assert sum(u.kind is UnitKind.PHUONG for u in communes) == 3
    assert {TREE.parent_of(u.unit_code, on=AFTER) for u in communes} == {"11"}


def test_before_2025_the_province_has_18_departments_10_districts_and_129_communes() -> None:
    kinds = [u.kind for u in TREE.valid_on(date(2024, 6, 30))]
    assert (kinds.count(UnitKind.SO), kinds.count(UnitKind.HUYEN)) == (18, 10)
    districts = {u.unit_code for u in TREE.children("11", on=BEFORE) if u.kind is UnitKind.HUYEN}
    assert districts == {f"{c:03d}" for c in range(94, 104)}
    assert not [u for u in TREE.valid_on(AFTER) if u.kind is UnitKind.HUYEN]


def test_districts_and_their_offices_have_no_successor() -> None:
    assert TREE.successor_on("099", AFTER) is None
    assert TREE.successor_on("100-tu-phap", AFTER) is None
    assert TREE.successor_on("099", date(2023, 9, 30)) == TREE.get("099")
    assert TREE.successor_on("03127-cu", date(2015, 1, 1)) is None


def test_four_communes_move_from_huyen_dien_bien_to_the_city_on_2020_01_01() -> None:
    for code in ("03326-cu", "03317-cu", "03325-cu", "03316-cu"):
        assert TREE.parent_of(code, on=date(2019, 12, 31)) == "100"
        assert TREE.parent_of(code, on=date(2020, 1, 1)) == "094"
        assert TREE.parent_of(code) == "094"
    city = {u.unit_code for u in TREE.descendants("094", on=date(2023, 12, 31))}
    assert len(city) == 12 and "03326-cu" in city
    assert "03326-cu" in {u.unit_code for u in TREE.children("100", on=date(2019, 6, 1))}
    assert "03326-cu" not in {u.unit_code for u in TREE.children("100", on=date(2023, 6, 1))}
    assert [u.unit_code for u in TREE.ancestors("03326-cu", on=date(2019, 6, 1))] == ["100", "11"]


@pytest.mark.parametrize("on", [date(2019, 6, 1), date(2023, 12, 31), AFTER])
def test_the_closure_pairs_every_unit_with_itself_and_the_province(on: date) -> None:
    pairs = set(TREE.closure(on=on))
    for unit in TREE.valid_on(on):
        assert (unit.unit_code, unit.unit_code) in pairs
        assert (unit.unit_code, "11") in pairs or unit.unit_code == "11"
    assert ("03326-cu", "100" if on.year == 2019 else "094") in pairs or on == AFTER
    assert ("100-tu-phap", "100") in set(TREE.closure())


# --- errors ----------------------------------------------------------------------------------


def test_an_ambiguous_name_lists_its_candidates_with_their_parents() -> None:
    with pytest.raises(AmbiguousUnitError) as caught:
        TREE.resolve("Na Tong", on=date(2024, 1, 1))
    codes = {u.unit_code for u in caught.value.candidates}
    assert codes == {"03263-cu", "03365-cu"}
    assert "UBND huyện Tuần Giáo" in caught.value.message
    assert "UBND huyện Điện Biên" in caught.value.message
    assert isinstance(caught.value, UserError) and caught.value.hint


def test_a_short_name_shared_by_a_town_and_its_district_is_ambiguous() -> None:
    with pytest.raises(AmbiguousUnitError):
        TREE.resolve("Mường Ảng", on=date(2024, 1, 1))
    assert TREE.resolve("Mường Ảng", on=date(2024, 1, 1), within="102").unit_code == "03256-cu"
    assert TREE.resolve("UBND huyện Mường Ảng", on=date(2024, 1, 1)).unit_code == "102"


def test_a_near_miss_is_never_resolved_but_suggested() -> None:
    with pytest.raises(UnknownUnitError) as caught:
        TREE.resolve("Pá Khoáng Xa", on=date(2023, 12, 31))
    assert any("Pá Khoang" in s for s in caught.value.suggestions)
    assert "“Pá Khoáng Xa”" in caught.value.message
    assert len(caught.value.suggestions) <= 3


def test_a_name_out_of_its_period_is_unknown() -> None:
    with pytest.raises(UnknownUnitError, match="có hiệu lực ngày 01/07/2025"):
        TREE.resolve("UBND phường Him Lam", on=AFTER)


def test_an_unknown_code_gets_did_you_mean() -> None:
    with pytest.raises(UnknownUnitError) as caught:
        TREE.get("03127-c")
    assert "03127-cu" in caught.value.suggestions


# --- names -----------------------------------------------------------------------------------


def test_it_unifies_old_and_new_tone_placement_and_case() -> None:
    assert normalise_name("Tỏa Tình") == normalise_name("TOẢ TÌNH")
    assert normalise_name("Ủy ban") == normalise_name("Uỷ  ban")
    assert normalise_name("Khỏe") == normalise_name("khoẻ")
    assert normalise_name("Toà Tỉnh") != normalise_name("Tỏa Tình")
    assert fold_diacritics("Đồng Ẳng Tở") == "Dong Ang To"


def test_the_shipped_csv_files_are_nfc_with_exact_headers() -> None:
    headers = {
        "dienbien.csv": "unit_code,gso_code,name,short_name,kind,parent_code,valid_from,"
        "valid_to,successor_code",
        "dienbien_parents.csv": "unit_code,parent_code,valid_from,valid_to",
        "dienbien_aliases.csv": "unit_code,alias,source",
    }
    for name, header in headers.items():
        text = (DATA / name).read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), name
        assert text.splitlines()[0] == header


def test_canonical_names_are_unique_on_every_boundary_date() -> None:
    for d in (date(2019, 6, 1), date(2020, 1, 1), BEFORE, AFTER):
        names = [u.name for u in TREE.valid_on(d)]
        assert len(names) == len(set(names)), d


def test_every_alias_points_to_a_different_spelling() -> None:
    for unit in TREE:
        for alias in TREE.aliases_of(unit.unit_code):
            assert normalise_name(alias) != normalise_name(unit.short_name)


def test_the_dienbien_tree_is_loaded_once() -> None:
    assert UnitTree.dienbien() is TREE


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "unit_code,gso_code,name,short_name,kind,parent_code,valid_from,valid_to,successor_code\n"


def test_it_rejects_an_unknown_kind_with_the_line(tmp_path: Path) -> None:
    units = write(tmp_path / "u.csv", HEADER + "11,11,UBND tỉnh X,X,quan,,2020-01-01,,\n")
    with pytest.raises(UserError, match=r"u\.csv:2: không rõ loại đơn vị “quan”"):
        UnitTree.from_csv(units)


def test_it_rejects_text_that_is_not_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "UBND tỉnh Điện Biên")
    units = write(tmp_path / "u.csv", HEADER + f"11,11,{nfd},X,tinh,,2020-01-01,,\n")
    with pytest.raises(UserError, match="không ở dạng Unicode NFC"):
        UnitTree.from_csv(units)


def test_it_rejects_a_parent_that_does_not_exist(tmp_path: Path) -> None:
    units = write(tmp_path / "u.csv", HEADER + "12,12,UBND xã Y,Y,xa,99,2020-01-01,,\n")
    with pytest.raises(UserError, match="parent of 12: không có mã đơn vị “99”"):
        UnitTree.from_csv(units)


# --- properties ------------------------------------------------------------------------------


@st.composite
def unit_and_day(draw: st.DrawFn) -> tuple[Unit, date]:
    unit = draw(st.sampled_from(list(TREE)))
    day = draw(st.dates(unit.valid_from, unit.valid_to or date(2030, 12, 31)))
    return unit, day


@settings(max_examples=300, deadline=None)
@given(unit_and_day())
def test_every_canonical_name_resolves_to_its_unit_on_a_valid_day(case: tuple[Unit, date]) -> None:
    unit, day = case
    assert TREE.resolve(unit.name, on=day) == unit
    assert TREE.resolve(unit.unit_code, on=day) == unit


@settings(max_examples=300, deadline=None)
@given(unit_and_day())
def test_every_short_name_resolves_within_its_parent_or_names_it_a_candidate(
    case: tuple[Unit, date],
) -> None:
    unit, day = case
    parent = TREE.parent_of(unit.unit_code, on=day)
    try:
        assert TREE.resolve(unit.short_name, on=day, within=parent) == unit
    except AmbiguousUnitError as error:
        assert unit in error.candidates


@settings(max_examples=300, deadline=None)
@given(unit_and_day())
def test_a_name_without_diacritics_never_resolves_to_another_unit(case: tuple[Unit, date]) -> None:
    unit, day = case
    parent = TREE.parent_of(unit.unit_code, on=day)
    try:
        assert TREE.resolve(fold_diacritics(unit.name), on=day, within=parent) == unit
    except AmbiguousUnitError as error:
        assert unit in error.candidates
