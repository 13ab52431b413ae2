"""The five seed annex tables reproduced from their printed indicator cells.

Each seed row (``seed_tables.py``) is resolved to a unit of the tree on the
report's date and inside the reporting district, scored with
:func:`chiso.engine.reported.score_reported` under the report's own scale and
rounding, and compared with the printed total, converted score, class and row
order.  Where ``domain.md`` §7 lists a printed number as wrong, the test asserts
the correct value and names the error id.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from seed_scoring import TREE, codes, grade_of_label, printed_total, report_index_set, reported_row
from seed_tables import (
    COUNTS_002,
    COUNTS_004,
    NARRATIVE_000,
    NARRATIVE_001,
    OCR_001,
    SEED_000,
    SEED_001,
    SEED_002,
    SEED_003,
    SEED_004,
    SEEDS,
    Section,
    Seed,
    SeedRow,
    parse_number,
)

from chiso.domain.rounding import RoundingMode, round_score
from chiso.engine.reported import ReportedRow, score_reported
from chiso.engine.results import ResultSet, UnitResult
from chiso.errors import UserError

#: Sum of the applicable maxima per seed: 000/001 without the công khai group, 002/003
#: with ck_cs2 only, 004 the nine NĐ 61 criteria.
MAXIMA = {"000": 80, "001": 80, "002": 85, "003": 85, "004": 18}
#: Printed numbers that domain.md §7 lists as wrong: the correct values.
CORRECTIONS: dict[tuple[str, str], dict[str, str]] = {
    # E01: row 6 copies row 7's total and converted score; its cells give 78,57 → 98,21.
    ("000", "UBND Thị trấn Mường Ảng"): {"error": "E01", "total": "78.57", "converted": "98.21"},
    # E23: Sở GTVT prints 15,98 for cells that sum to 15,97 (hidden decimals).
    ("004", "Sở Giao thông vận tải"): {"error": "E23", "total": "15.97"},
}


# --- helpers ---------------------------------------------------------------------------------


def half_units(row: SeedRow) -> Decimal:
    """Sum over the printed cells of half a unit of each cell's last printed digit."""
    exponents = [parse_number(c).as_tuple().exponent for c in row.cells if c is not None]
    return sum((Decimal(5).scaleb(int(e) - 1) for e in exponents), Decimal(0))


def cell_sum(row: SeedRow) -> Decimal:
    """Sum of the printed cells."""
    return sum((parse_number(c) for c in row.cells if c is not None), Decimal(0))


def score_section(
    seed: Seed, section: Section, *, use_printed_total: bool | None = None
) -> ResultSet:
    """Score one annex section (rows are ranked within their section)."""
    printed = seed.use_printed_total if use_printed_total is None else use_printed_total
    return score_reported(
        report_index_set(seed),
        [reported_row(seed, r) for r in section.rows],
        period=seed.period,
        period_label=seed.period_label,
        use_printed_total=printed,
    )


def scored_rows(seed: Seed, **kwargs: bool) -> list[tuple[SeedRow, UnitResult, ResultSet]]:
    """Every printed row with its scored unit and result set, in printed order."""
    out = []
    for section in seed.sections:
        results = score_section(seed, section, **kwargs)
        for row in section.rows:
            code = TREE.resolve(row.name, on=seed.on, within=seed.within).unit_code
            out.append((row, results.unit(code), results))
    return out


def by_grade(seed: Seed, section: Section | None = None) -> dict[str, list[str]]:
    """Unit codes per computed grade, in table order."""
    out: dict[str, list[str]] = {}
    for row, unit, _ in scored_rows(seed):
        if section is None or row in section.rows:
            out.setdefault(unit.grade or "", []).append(unit.unit_code)
    return out


ROWS = [
    pytest.param(seed, row, id=f"{seed.seed_id}-{n}")
    for seed in SEEDS.values()
    for n, row in enumerate(seed.rows, start=1)
]


# --- every row of every seed -----------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS.values(), ids=SEEDS.keys())
def test_every_printed_unit_name_resolves_to_one_unit_of_the_reporting_area(seed: Seed) -> None:
    found = [TREE.resolve(r.name, on=seed.on, within=seed.within) for r in seed.rows]
    assert len({u.unit_code for u in found}) == len(seed.rows)
    assert all(u.is_valid_on(seed.on) for u in found)


@pytest.mark.parametrize(("seed", "row"), ROWS)
def test_seed_row_reproduces_total_converted_score_and_class(seed: Seed, row: SeedRow) -> None:
    [(_, unit, results)] = [t for t in scored_rows(seed) if t[0] is row]
    fix = CORRECTIONS.get((seed.seed_id, row.name), {})
    assert unit.max == MAXIMA[seed.seed_id]
    assert unit.total == Fraction(Decimal(fix.get("total", printed_total(row))))
    if "/" in row.total:
        assert unit.max == parse_number(row.total.split("/")[1])
    if row.converted is not None:
        want = Decimal(fix["converted"]) if "converted" in fix else parse_number(row.converted)
        got = results.rounded(unit.converted)
        assert got is not None
        if seed is SEED_001:
            # E07: no single rounding rule fits the 10-point column; within 0,01.
            assert abs(got - want) <= Decimal("0.01")
        else:
            assert got == want
    assert unit.grade == grade_of_label(report_index_set(seed), row.grade)


@pytest.mark.parametrize("seed", SEEDS.values(), ids=SEEDS.keys())
def test_seed_table_order_is_rank_order_by_score_within_each_section(seed: Seed) -> None:
    for section in seed.sections:
        results = score_section(seed, section)
        units = [
            results.unit(TREE.resolve(r.name, on=seed.on, within=seed.within).unit_code)
            for r in section.rows
        ]
        scores = [u.converted for u in units if u.converted is not None]
        ranks = [u.rank for u in units if u.rank is not None]
        assert len(scores) == len(ranks) == len(units)
        assert scores == sorted(scores, reverse=True)
        assert ranks[0] == 1
        assert ranks == sorted(ranks)
        for rank, score in zip(ranks, scores, strict=True):
            assert rank == 1 + len([s for s in scores if s > score])


def test_seed_annexes_have_the_printed_number_of_rows_per_section() -> None:
    sizes = {s.seed_id: [len(sec.rows) for sec in s.sections] for s in SEEDS.values()}
    assert sizes == {"000": [10], "001": [12], "002": [19], "003": [3, 21], "004": [18, 10]}


# --- seed 000: Mường Ảng, truncation ---------------------------------------------------------


def test_seed_000_truncates_half_way_scores_down() -> None:
    """E03: the five exact half-way values all go down (98,325 → 98,32 …)."""
    half_way = []
    for row in SEED_000.rows:
        exact = Fraction(printed_total(row)) / 80 * 100
        if (exact * 1000).denominator == 1 and (exact * 1000).numerator % 10 == 5:
            half_way.append(row)
            printed = parse_number(row.converted or "")
            assert round_score(exact, mode="truncate", decimals=2) == printed
            assert round_score(exact, mode="half_up", decimals=2) == printed + Decimal("0.01")
    assert [r.converted for r in half_way] == ["98,32", "98,12", "98,12", "96,87", "87,72"]


def test_seed_000_row_6_cells_give_78_57_not_the_total_copied_from_row_7() -> None:
    """E01: Thị trấn Mường Ảng prints Búng Lao's 78,5 and 98,12; the cells give 98,21."""
    rows = {row.name: (row, unit, results) for row, unit, results in scored_rows(SEED_000)}
    row, town, results = rows["UBND Thị trấn Mường Ảng"]
    _, bung_lao, _ = rows["UBND xã Búng Lao"]
    assert (row.total, row.converted) == ("78,5/80", "98,12")
    assert cell_sum(row) == Decimal("78.57")
    assert town.total == Fraction(7857, 100)
    assert results.rounded(town.converted) == Decimal("98.21")
    assert town.grade == "excellent"  # grade unchanged
    assert (town.rank, bung_lao.rank, town.tied, bung_lao.tied) == (6, 7, False, False)


def test_seed_000_four_units_at_100_are_tied() -> None:
    results = score_section(SEED_000, SEED_000.sections[0])
    top = [u for u in results.units if u.converted == 100]
    assert len(top) == 4
    assert all(u.rank == 1 and u.tied for u in top)


def test_seed_000_narrative_counts_09_xuat_sac_and_01_tot_are_right() -> None:
    grades = by_grade(SEED_000)
    assert len(SEED_000.rows) == 10  # "Thực hiện chấm điểm đánh giá 10/10 đơn vị"
    for grade, names in NARRATIVE_000.items():
        # The narrative lists the units in table order.
        assert grades.get(grade, []) == codes(SEED_000, names)
    assert (len(grades["excellent"]), len(grades["good"])) == (9, 1)


# --- seed 001: TP Điện Biên Phủ, 10-point scale, OCR -----------------------------------------


def test_seed_001_ocr_decimal_marks_are_restored() -> None:
    """E04: lost decimal marks (47 → 4,7; 7000 → 70,00; 5962 → 59,62 …), '7.9' = 7,99."""
    for row in SEED_001.rows:
        _, fixes = OCR_001[row.name]
        for column, (raw, restored) in fixes.items():
            if column == "total":
                assert row.total == restored
            elif column == "converted":
                assert row.converted == restored
            else:
                assert row.cells[SEED_001.columns.index(column)] == restored
            assert raw in (restored.replace(".", ""), restored[:-1])
    _, unit, results = next(t for t in scored_rows(SEED_001) if t[0].name.endswith("Tân Thanh"))
    assert results.rounded(unit.converted) == Decimal("7.99")  # 63,93 / 80 × 10


def test_seed_001_printed_totals_are_within_half_a_printed_digit_of_the_cells() -> None:
    """E06: the totals were computed from hidden values; cells are printed to 1 decimal."""
    differing = []
    for row in SEED_001.rows:
        gap = abs(cell_sum(row) - printed_total(row))
        assert gap <= half_units(row)
        assert gap <= Decimal("0.08")
        if gap:
            differing.append(row.name)
    assert len(differing) == 8


def test_seed_001_converted_on_the_10_point_scale_fits_no_single_rounding_rule() -> None:
    """E07: 8,625 → 8,63 (up) but 8,735 → 8,73 (down); totals are rounded themselves."""
    misses: dict[RoundingMode, list[str]] = {"truncate": [], "half_up": []}
    for row in SEED_001.rows:
        exact = Fraction(printed_total(row)) / 80 * 10
        for mode, missed in misses.items():
            if round_score(exact, mode=mode, decimals=2) != parse_number(row.converted or ""):
                missed.append(row.name)
    assert misses["half_up"] == ["UBND phường Nam Thanh"]
    assert "UBND phường Thanh Trường" in misses["truncate"]


def test_seed_001_tan_thanh_is_kha_from_the_published_total_not_tot_from_its_cells() -> None:
    """E05: cells sum to 64,0 → 8,00 → Tốt, the published 63,93 → 7,99 → Khá."""
    row = next(r for r in SEED_001.rows if r.name == "UBND phường Tân Thanh")
    section = Section("Tân Thanh", (row,))
    published = score_section(SEED_001, section, use_printed_total=True).units[0]
    from_cells = score_section(SEED_001, section, use_printed_total=False)
    assert (published.total, published.grade) == (Fraction(6393, 100), "fair")
    assert from_cells.units[0].total == 64
    assert from_cells.rounded(from_cells.units[0].converted) == Decimal("8.00")
    assert from_cells.units[0].grade == "good"


def test_seed_001_narrative_counts_1_xuat_sac_6_tot_4_kha_1_trung_binh_are_right() -> None:
    grades = by_grade(SEED_001)
    for grade, names in NARRATIVE_001.items():
        assert sorted(grades.get(grade, [])) == sorted(codes(SEED_001, names))
    assert Counter({g: len(c) for g, c in grades.items()}) == Counter(
        excellent=1, good=6, fair=4, average=1
    )


# --- seed 002: Tuần Giáo, half-up 1 decimal, printed totals ----------------------------------


def test_seed_002_printed_totals_are_within_half_a_printed_digit_of_the_cells() -> None:
    """E10: 16 totals differ from the 1-decimal cells, by at most 0,07."""
    gaps = [abs(cell_sum(r) - printed_total(r)) for r in SEED_002.rows]
    assert all(g <= half_units(r) for g, r in zip(gaps, SEED_002.rows, strict=True))
    assert max(gaps) == Decimal("0.07")
    assert sum(1 for g in gaps if g) == 16


def test_seed_002_three_converted_scores_follow_the_published_totals_not_the_cells() -> None:
    """E10: Chiềng Đông 87,9 / Quài Cang 82,7 / Nà Tông 76,7 agree with the totals only."""
    from_cells = {
        row.name: (unit, rs) for row, unit, rs in scored_rows(SEED_002, use_printed_total=False)
    }
    expected = {
        "UBND xã Chiềng Đông": ("87.8", "87,9"),
        "UBND xã Quài Cang": ("82.8", "82,7"),
        "UBND xã Nà Tông": ("76.6", "76,7"),
    }
    for name, (cells_value, printed) in expected.items():
        unit, results = from_cells[name]
        assert results.rounded(unit.converted) == Decimal(cells_value)
        row = next(r for r in SEED_002.rows if r.name == name)
        assert row.converted == printed


def test_seed_002_rounds_half_up_to_one_decimal() -> None:
    truncated_differs = 0
    for row in SEED_002.rows:
        exact = Fraction(printed_total(row)) / 85 * 100
        assert round_score(exact, mode="half_up", decimals=1) == parse_number(row.converted or "")
        if round_score(exact, mode="truncate", decimals=1) != parse_number(row.converted or ""):
            truncated_differs += 1
    assert truncated_differs == 8  # e.g. 79,79/85 = 93,87 → 93,9, not 93,8


def test_seed_002_narrative_counts_07_xuat_sac_08_tot_04_kha_of_19_are_right() -> None:
    grades = by_grade(SEED_002)
    assert {g: len(c) for g, c in grades.items()} == COUNTS_002
    assert sum(COUNTS_002.values()) == len(SEED_002.rows) == 19


# --- seed 003: huyện Điện Biên, half-up 1 decimal, exact cells -------------------------------


def test_seed_003_rounds_half_up_to_one_decimal() -> None:
    """6 decidable rows, e.g. 84,2/85 = 99,06 → 99,1 (truncation would print 99,0)."""
    decisive = 0
    for row in SEED_003.rows:
        exact = Fraction(cell_sum(row)) / 85 * 100
        printed = parse_number(row.converted or "")
        assert round_score(exact, mode="half_up", decimals=1) == printed
        decisive += round_score(exact, mode="truncate", decimals=1) != printed
    assert decisive == 6


def test_seed_003_boundaries_90_is_xuat_sac_and_79_6_is_kha() -> None:
    rows = {row.name: unit for row, unit, _ in scored_rows(SEED_003)}
    assert rows["Thanh Hưng"].converted == 90
    assert rows["Thanh Hưng"].grade == "excellent"
    assert rows["Mường Lói"].grade == "good"
    assert rows["Hua Thanh"].grade == "fair"


def test_seed_003_equal_scores_share_a_rank() -> None:
    """E22: equal scores in an unexplained printed order share a competition rank."""
    rows = {row.name: unit for row, unit, _ in scored_rows(SEED_003)}
    for a, b in (("Thanh Chăn", "Pa Thơm"), ("Núa Ngam", "Thanh Luông"), ("Na Tông", "Sam Mứn")):
        assert rows[a].rank == rows[b].rank
        assert rows[a].tied and rows[b].tied


# --- seed 004: province, NĐ 61 nine criteria -------------------------------------------------


def test_seed_004_sgtvt_cells_sum_to_15_97_within_rounding_of_the_printed_15_98() -> None:
    """E23: three 1,99 cells hide more decimals; Tủa Chùa's three 1,99 sum exactly."""
    rows = {row.name: (row, unit) for row, unit, _ in scored_rows(SEED_004)}
    row, unit = rows["Sở Giao thông vận tải"]
    assert unit.total == Fraction(1597, 100)
    assert abs(printed_total(row) - cell_sum(row)) == Decimal("0.01")
    assert abs(printed_total(row) - cell_sum(row)) <= half_units(row)
    assert unit.grade == "excellent"
    tua_chua, tua_chua_unit = rows["UBND huyện Tủa Chùa"]
    assert tua_chua_unit.total == printed_total(tua_chua) == Decimal("17.97")


def test_seed_004_ban_dan_toc_at_exactly_15_is_xuat_sac() -> None:
    """E24: the lower bound of Xuất sắc is inclusive (not the '> 15' of R16)."""
    rows = {row.name: unit for row, unit, _ in scored_rows(SEED_004)}
    assert rows["Ban Dân tộc"].total == 15
    assert rows["Ban Dân tộc"].grade == "excellent"
    assert rows["UBND huyện Điện Biên Đông"].total == Fraction(1484, 100)
    assert rows["UBND huyện Điện Biên Đông"].grade == "good"


def test_seed_004_staff_average_is_not_part_of_the_total_and_does_not_change_the_grade() -> None:
    """ĐTB CCVC is printed beside the total: Ban Dân tộc 15 / 9 → XS, Sở Ngoại vụ 13,93 / 10
    → Tốt; the index set has no such indicator and the grades follow the total alone."""
    scored = scored_rows(SEED_004)
    assert all(row.staff_average is not None for row, _, _ in scored)
    for row, unit, _ in scored:
        assert unit.total == Fraction(
            Decimal(CORRECTIONS.get(("004", row.name), {}).get("total", printed_total(row)))
        )
    lowest = min(scored, key=lambda t: parse_number(t[0].staff_average or ""))
    assert (lowest[0].name, lowest[1].grade) == ("Ban Dân tộc", "excellent")
    good = [row for row, unit, _ in scored if unit.grade == "good"]
    assert all(parse_number(r.staff_average or "") >= Decimal("9.9") for r in good)
    first = reported_row(SEED_004, SEED_004.rows[0])
    extra = ReportedRow(
        first.unit_code, first.name, first.kind, {**first.cells, "dtb_ccvc": Decimal(10)}
    )
    with pytest.raises(UserError, match="dtb_ccvc"):
        score_reported(report_index_set(SEED_004), [extra], period="2022", period_label="năm 2022")


def test_seed_004_narrative_counts_17_18_and_8_10_are_right() -> None:
    """E25: 17/18 Xuất sắc + 01/18 Tốt (sở, ban); 08/10 + 02/10 (huyện)."""
    for section, counts in zip(SEED_004.sections, COUNTS_004, strict=True):
        grades = by_grade(SEED_004, section)
        assert {g: len(c) for g, c in grades.items()} == counts
        assert sum(counts.values()) == len(section.rows)


# --- the reported-row contract ---------------------------------------------------------------


def test_reported_cells_must_be_decimals_not_floats() -> None:
    row = reported_row(SEED_000, SEED_000.rows[-1])
    floats = ReportedRow(row.unit_code, row.name, row.kind, {**row.cells, "dvtt_cs1": 9.52})  # type: ignore[dict-item]
    with pytest.raises(UserError, match="không phải Decimal"):
        score_reported(
            report_index_set(SEED_000), [floats], period="2024-11", period_label="tháng 11 năm 2024"
        )


def test_reported_indicator_not_printed_is_not_applicable_and_leaves_the_maximum() -> None:
    row = reported_row(SEED_001, SEED_001.rows[0])
    results = score_reported(
        report_index_set(SEED_001), [row], period="2023-12", period_label="tháng 12 năm 2023"
    )
    unit = results.units[0]
    ck = [i for i in unit.indicators if i.group == "cong_khai"]
    assert ck and all(not i.applicable and i.source == "reported" for i in ck)
    assert unit.max == 80
