"""The arithmetic core at its edges, written in the index-set language and scored on DuckDB.

Each test writes a small index set (``tests/tiny_index_sets.py``), puts a few dossiers in a
data folder and reads the points, totals and ranks the engine gives: per scoring kind
(docs/index-set-language.md), each zero-denominator policy, x/0, unary minus and decimal
literals in measures, display rounding, and the order of tied and unscored units.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from chiso.engine.results import ResultSet
from tiny_index_sets import dossiers, index_set, indicator, score_rows

F = Fraction


def _points(result: ResultSet, code: str = "a") -> dict[str, Fraction | None]:
    return {u.unit_code: u.indicator(code).points for u in result.units}


def test_lin_is_max_times_the_rate_clipped_to_0_and_1(tmp_path: Path) -> None:
    over = indicator("over", numerator="count() + count(channel == 'online')")
    under = indicator("under", numerator="count(channel == 'online') - count()")
    # The same with decimal literals: the measure is a fraction, not a count.
    over_dec = indicator("over_dec", numerator="1.5 * count()")
    under_dec = indicator("under_dec", numerator="count(channel == 'online') - 1.5 * count()")
    spec = index_set(indicator("a"), over, under, over_dec, under_dec)
    result = score_rows(
        tmp_path,
        spec,
        {
            "none": dossiers(direct=4),
            "part": dossiers(online=3, direct=1),
            "all": dossiers(online=4),
        },
    )
    assert _points(result) == {"none": 0, "part": F(15, 2), "all": 10}
    for code in ("over", "over_dec"):
        assert set(_points(result, code).values()) == {10}, code
    for code in ("under", "under_dec"):
        assert set(_points(result, code).values()) == {0}, code
    part = result.unit("part")
    assert part.indicator("over").rate == F(7, 4)  # the rate is shown as computed
    assert part.indicator("under_dec").rate == F(-3, 4)


@pytest.mark.parametrize(
    ("target", "online", "total", "points"),
    [
        ("0.8", 4, 5, F(10)),  # exactly at the target: full points
        ("0.8", 3, 5, F(15, 2)),  # one dossier below: 10 × 0.6 ÷ 0.8
        ("0.8", 8, 10, F(10)),
        ("0.8", 7, 10, F(35, 4)),
        ("0.75", 3, 4, F(10)),
        ("0.75", 2, 4, F(20, 3)),
        ("1", 4, 4, F(10)),
        ("1", 3, 4, F(15, 2)),
        ("0.8", 0, 4, F(0)),
    ],
)
def test_thr_gives_full_points_from_its_target_and_a_share_below(
    tmp_path: Path, target: str, online: int, total: int, points: Fraction
) -> None:
    spec = index_set(indicator(scoring=f"{{kind: thr, target: {target}}}"))
    result = score_rows(tmp_path, spec, {"u": dossiers(online=online, direct=total - online)})
    assert _points(result) == {"u": points}


def test_thr_clips_the_rate_and_takes_fractional_measures(tmp_path: Path) -> None:
    thr = "{kind: thr, target: 0.5}"
    spec = index_set(
        indicator("over", numerator="count() + count(channel == 'online')", scoring=thr),
        indicator("under", numerator="count(channel == 'online') - count()", scoring=thr),
        indicator("at", numerator="0.5 * count()", scoring=thr),
        indicator("below", numerator="0.4 * count()", scoring=thr),
        indicator("above_dec", numerator="1.2 * count()", scoring=thr),
        indicator("neg_dec", numerator="-0.4 * count()", scoring=thr),
    )
    result = score_rows(tmp_path, spec, {"u": dossiers(online=1, direct=3)})
    got = {code: result.unit("u").indicator(code).points for code in ("over", "under", "at")}
    assert got == {"over": 10, "under": 0, "at": 10}
    assert result.unit("u").indicator("below").points == 8  # 10 × 0.4 ÷ 0.5
    assert result.unit("u").indicator("above_dec").points == 10
    assert result.unit("u").indicator("neg_dec").points == 0


# Steps listed out of order on purpose ("any order", the schema says).
STEPS = (
    "{kind: bands, bands: [{min_rate: 0.8, points: 10}, {min_rate: 0, points: 1},"
    " {min_rate: 0.5, points: 5}]}"
)
STEPS_NO_FLOOR = "{kind: bands, bands: [{min_rate: 0.5, points: 5}, {min_rate: 0.8, points: 10}]}"


def test_step_bands_at_each_edge(tmp_path: Path) -> None:
    spec = index_set(
        indicator("a", scoring=STEPS),
        indicator("b", scoring=STEPS_NO_FLOOR),
        indicator("over", numerator="count() + count(channel == 'online')", scoring=STEPS),
        indicator("under", numerator="count(channel == 'online') - count()", scoring=STEPS),
    )
    rows = {
        "r0": dossiers(direct=5),
        "r44": dossiers(online=4, direct=5),  # 4/9, just below 0.5
        "r50": dossiers(online=5, direct=5),  # exactly 0.5
        "r78": dossiers(online=7, direct=2),  # 7/9, just below 0.8
        "r80": dossiers(online=4, direct=1),  # exactly 0.8
        "r100": dossiers(online=3),
    }
    result = score_rows(tmp_path, spec, rows)
    assert _points(result, "a") == {"r0": 1, "r44": 1, "r50": 5, "r78": 5, "r80": 10, "r100": 10}
    assert _points(result, "b") == {"r0": 0, "r44": 0, "r50": 5, "r78": 5, "r80": 10, "r100": 10}
    # A rate above 1 takes the top step; below 0 it is clipped to 0, which reaches min_rate 0.
    assert set(_points(result, "over").values()) == {10}
    assert set(_points(result, "under").values()) == {1}


def test_a_step_band_reached_by_a_fractional_rate(tmp_path: Path) -> None:
    spec = index_set(
        indicator("at", numerator="0.5 * count()", scoring=STEPS),
        indicator("below", numerator="0.49 * count()", scoring=STEPS),
        indicator("neg", numerator="-0.5 * count()", scoring=STEPS_NO_FLOOR),
    )
    result = score_rows(tmp_path, spec, {"u": dossiers(direct=3)})
    got = {code: result.unit("u").indicator(code).points for code in ("at", "below", "neg")}
    assert got == {"at": 5, "below": 1, "neg": 0}


def test_the_rubric_mean_is_the_points_capped_at_max_and_floored_at_0(tmp_path: Path) -> None:
    mean = {"numerator": "sum(supplement_count)", "scoring": "rubric_mean", "top": "2"}
    spec = index_set(
        indicator("a", **mean),  # type: ignore[arg-type]
        indicator("neg", **{**mean, "numerator": "-sum(supplement_count)"}),  # type: ignore[arg-type]
    )
    rows = {
        "zero": [{"supplement_count": 0}] * 2,
        "half": [{"supplement_count": 1}, {"supplement_count": 2}],  # 1.5: not clipped to 1
        "cap": [{"supplement_count": 2}] * 3,  # exactly max
        "over": [{"supplement_count": 3}, {"supplement_count": 4}],  # 3.5 → 2
    }
    result = score_rows(tmp_path, spec, rows)
    assert _points(result) == {"zero": 0, "half": F(3, 2), "cap": 2, "over": 2}
    assert set(_points(result, "neg").values()) == {0}
    assert result.unit("over").indicator("a").rate == F(7, 2)


def test_each_zero_denominator_policy(tmp_path: Path) -> None:
    postal = "count(channel == 'postal')"
    spec = index_set(
        indicator("full", denominator=postal, zero="full"),
        indicator("zero", denominator=postal, zero="zero"),
        indicator("na", denominator=postal, zero="not_applicable"),
        indicator("lin", numerator="count()"),
    )
    result = score_rows(tmp_path, spec, {"u": dossiers(online=2, direct=2)})
    unit = result.unit("u")
    full, zero, na = (unit.indicator(c) for c in ("full", "zero", "na"))
    assert (full.applicable, full.points, full.rate) == (True, 10, None)
    assert (zero.applicable, zero.points, zero.rate) == (True, 0, None)
    assert (na.applicable, na.points) == (False, None)
    # "-" leaves both the total and the maximum; "zero" keeps its maximum.
    assert (unit.total, unit.max, unit.converted) == (20, 30, F(200, 3))
    assert unit.grade == "weak"


def test_a_quotient_by_zero_inside_a_measure_is_zero(tmp_path: Path) -> None:
    by_zero = "count() / count(channel == 'postal')"
    spec = index_set(
        indicator("num", numerator=f"count() - {by_zero}"),
        indicator("den", numerator="count()", denominator=by_zero, zero="full"),
        indicator("whole", numerator=f"count(channel == 'online') + {by_zero}"),
    )
    result = score_rows(tmp_path, spec, {"u": dossiers(online=1, direct=3)})
    unit = result.unit("u")
    assert (unit.indicator("num").numerator, unit.indicator("num").points) == (4, 10)
    assert unit.indicator("den").denominator == 0
    assert (unit.indicator("den").rate, unit.indicator("den").points) == (None, 10)
    assert unit.indicator("whole").points == F(5, 2)


@pytest.mark.parametrize(
    ("numerator", "value"),
    [
        ("-count(channel == 'direct') + count()", 3),
        ("- -count(channel == 'online')", 3),
        ("count() - -count(channel == 'online') - count()", 3),
        ("-(count() - count(channel == 'online')) + count()", 3),
        ("count() * -0.25 + count()", 3),
        ("-2 * count(channel == 'direct') + 5", 3),
        ("count() - count(channel == 'direct') - count(channel == 'direct') + 1", 3),
        ("count() - count(channel == 'direct') * 2 + 1", 3),
        ("count() / 2 / 2 + 2", 3),
        ("(count() + 2) / 2", 3),
        ("count() - 4 / 4", 3),
        ("6 / count() * 2", 3),
    ],
)
def test_unary_minus_and_operator_precedence(tmp_path: Path, numerator: str, value: int) -> None:
    spec = index_set(indicator(numerator=numerator))
    result = score_rows(tmp_path, spec, {"u": dossiers(online=3, direct=1)})
    assert result.unit("u").indicator("a").numerator == value


def test_decimal_literals_are_exact(tmp_path: Path) -> None:
    spec = index_set(
        indicator("tenth", numerator="0.1 * count() + 0.2 * count()"),
        indicator("quarter", numerator="count(channel == 'online') * 0.25", top="2.5"),
        indicator("whole", numerator="2.0 * count(channel == 'online') - 1.00 * count()"),
    )
    result = score_rows(tmp_path, spec, {"u": dossiers(online=3, direct=1)})
    unit = result.unit("u")
    assert unit.indicator("tenth").rate == F(3, 10)  # not 0.30000000000000004
    assert unit.indicator("tenth").points == 3
    assert unit.indicator("quarter").numerator == F(3, 4)
    assert unit.indicator("quarter").points == F(15, 32)
    assert unit.indicator("whole").numerator == 2
    assert unit.indicator("whole").points == 5


def test_a_non_integer_maximum_scales_every_kind(tmp_path: Path) -> None:
    spec = index_set(
        indicator("lin", top="2.5"),
        indicator("thr", top="2.5", scoring="{kind: thr, target: 0.5}"),
        indicator("mean", top="1.5", numerator="sum(supplement_count)", scoring="rubric_mean"),
    )
    result = score_rows(
        tmp_path, spec, {"u": [{"channel": "online", "supplement_count": 2}, {}, {}]}
    )
    unit = result.unit("u")
    got = [unit.indicator(code).points for code in ("lin", "thr", "mean")]
    assert got == [F(5, 6), F(5, 3), F(2, 3)]
    assert unit.max == 6.5 and unit.total == F(19, 6)


@pytest.mark.parametrize(
    ("mode", "decimals", "printed"),
    [
        ("half_up", 2, "66.67"),
        ("truncate", 2, "66.66"),
        ("half_up", 0, "67"),
        ("truncate", 1, "66.6"),
    ],
)
def test_the_converted_score_is_rounded_once_for_display(
    tmp_path: Path, mode: str, decimals: int, printed: str
) -> None:
    spec = index_set(indicator(), mode=mode, decimals=decimals)
    result = score_rows(tmp_path, spec, {"u": dossiers(online=2, direct=1)})
    unit = result.unit("u")
    assert unit.converted == F(200, 3)
    assert result.rounded(unit.converted) == Decimal(printed)


# Vietnamese order: base letters first (Đ after D, before E), then diacritics (An, Ân).
NAMES = {
    "01": "Xã Ea Pô",
    "02": "Xã Đông Sơn",
    "03": "Xã Bản Phủ",
    "04": "Xã Ân Thi",
    "05": "Xã An Bình",
    "06": "Xã Dương Hòa",
    "07": "Xã Ẳng Cang",
}


def test_tied_units_share_a_rank_in_vietnamese_name_order(tmp_path: Path) -> None:
    rows = {code: dossiers(online=1, direct=1) for code in NAMES}
    rows["top"] = dossiers(online=2)
    names = {**NAMES, "top": "Xã Zô"}
    result = score_rows(tmp_path, index_set(), rows, names=names)
    assert [(u.name, u.rank, u.tied) for u in result.units] == [
        ("Xã Zô", 1, False),
        ("Xã An Bình", 2, True),
        ("Xã Ẳng Cang", 2, True),  # ă after a, â after ă: the Vietnamese alphabet
        ("Xã Ân Thi", 2, True),
        ("Xã Bản Phủ", 2, True),
        ("Xã Dương Hòa", 2, True),
        ("Xã Đông Sơn", 2, True),
        ("Xã Ea Pô", 2, True),
    ]


def test_tie_order_code_sorts_tied_units_by_code(tmp_path: Path) -> None:
    rows = {code: dossiers(online=1) for code in NAMES}
    result = score_rows(tmp_path, index_set(tie_order="code"), rows, names=NAMES)
    assert [u.unit_code for u in result.units] == sorted(NAMES)
    assert {(u.rank, u.tied) for u in result.units} == {(1, True)}


def test_unscored_units_come_last_unranked_in_name_order(tmp_path: Path) -> None:
    # A unit whose every indicator is "-" has no maximum, so no score, class or rank.
    # (Today: a unit without records is unscored only when its indicators say "-" for a
    # zero denominator; issue #12 item 4 adds an engine-wide rule for units without data.)
    rows = {"10": dossiers(online=1, direct=3), "11": dossiers(online=3, direct=1)}
    rows |= {code: [] for code in ("01", "02", "04", "06")}
    result = score_rows(tmp_path, index_set(), rows, names=NAMES)
    got = [(u.unit_code, u.rank, u.tied, u.converted, u.grade) for u in result.units]
    assert got == [
        ("11", 1, False, 75, "weak"),
        ("10", 2, False, 25, "weak"),
        ("04", None, False, None, None),
        ("06", None, False, None, None),
        ("02", None, False, None, None),
        ("01", None, False, None, None),
    ]


def test_a_where_filter_applies_to_both_sides_of_the_rate(tmp_path: Path) -> None:
    spec = index_set(
        indicator("a", where="channel != 'postal'"),
        indicator(
            "b", where="channel != 'postal'", numerator="count() - count(channel == 'direct')"
        ),
    )
    result = score_rows(tmp_path, spec, {"u": dossiers(online=1, direct=1, postal=2)})
    for code in ("a", "b"):
        got = result.unit("u").indicator(code)
        assert (got.numerator, got.denominator, got.points) == (1, 2, 5), code
