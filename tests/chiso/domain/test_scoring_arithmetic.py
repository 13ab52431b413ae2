from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from chiso.domain.ranking import BandRule, classify, rank
from chiso.domain.rounding import format_vn, round_score

BANDS = [
    BandRule("excellent", Decimal(90)),
    BandRule("good", Decimal(80)),
    BandRule("fair", Decimal(70)),
    BandRule("average", Decimal(50)),
    BandRule("weak", None),
]


def test_truncation_keeps_seed_000_half_way_values_down() -> None:
    for total, printed in [("78.66", "98.32"), ("78.5", "98.12"), ("77.5", "96.87")]:
        value = Fraction(Decimal(total)) / 80 * 100
        assert round_score(value, mode="truncate", decimals=2) == Decimal(printed)


def test_half_up_reproduces_seed_002() -> None:
    assert round_score(Fraction(7979, 8500) * 100, mode="half_up", decimals=1) == Decimal("93.9")


def test_vietnamese_number_format() -> None:
    assert format_vn(Decimal("1229100")) == "1.229.100"
    assert format_vn(Decimal("98.32")) == "98,32"
    assert format_vn(None) == "-"


fractions = st.fractions(min_value=0, max_value=100, max_denominator=10_000)


@given(fractions, st.integers(0, 3))
def test_truncation_never_rounds_up_and_half_up_is_within_half_a_unit(v: Fraction, d: int) -> None:
    down = Fraction(round_score(v, mode="truncate", decimals=d))
    up = Fraction(round_score(v, mode="half_up", decimals=d))
    unit = Fraction(1, 10**d)
    assert down <= v < down + unit
    assert abs(up - v) <= unit / 2


@given(fractions)
def test_bands_partition_the_range(v: Fraction) -> None:
    grade = classify(v, BANDS)
    lows = {b.grade: b.min for b in BANDS}
    index = [b.grade for b in BANDS].index(grade)
    assert lows[grade] is None or v >= lows[grade]
    if index > 0:
        above = BANDS[index - 1].min
        assert above is not None and v < above


def test_band_boundaries_are_inclusive() -> None:
    assert classify(Fraction(90), BANDS) == "excellent"
    assert classify(Fraction(8999, 100), BANDS) == "good"


@given(st.lists(st.tuples(st.text(min_size=1, max_size=5), st.integers(0, 5)), max_size=30))
def test_ranking_is_permutation_invariant_with_shared_ranks(items: list[tuple[str, int]]) -> None:
    def run(seq: list[tuple[str, int]]) -> list[tuple[tuple[str, int], int | None, bool]]:
        return rank(seq, lambda i: Fraction(i[1]), lambda i: i)

    forward, backward = run(items), run(list(reversed(items)))
    assert forward == backward
    for item, position, tied in forward:
        higher = sum(1 for other in items if other[1] > item[1])
        assert position == higher + 1
        assert tied == (sum(1 for other in items if other[1] == item[1]) > 1)


def test_ranking_tells_apart_scores_closer_than_a_float_can() -> None:
    one = Fraction(1)
    scores = {"a": one + Fraction(1, 10**20), "b": one + Fraction(2, 10**20), "c": one}
    scores["d"] = scores["b"]
    assert float(scores["a"]) == float(scores["b"]) == float(scores["c"])
    ranked = rank(sorted(scores), scores.__getitem__, lambda name: name)
    assert ranked == [("b", 1, True), ("d", 1, True), ("a", 3, False), ("c", 4, False)]


@given(
    st.lists(
        st.tuples(st.text(max_size=3), st.fractions(0, 100, max_denominator=10**18)), max_size=20
    )
)
def test_ranking_follows_the_exact_order(items: list[tuple[str, Fraction]]) -> None:
    ranked = rank(items, lambda i: i[1], lambda i: i)
    values = [item[1] for item, _, _ in ranked]
    assert values == sorted(values, reverse=True)
    for item, position, tied in ranked:
        assert position == 1 + sum(1 for other in items if other[1] > item[1])
        assert tied == (sum(1 for other in items if other[1] == item[1]) > 1)


def test_truncation_works_on_the_exact_value_however_long() -> None:
    # 99.99 followed by seventy 9s: a Decimal of 60 digits would round it up to 100.
    nearly = Fraction(10**4 - 1, 100) + Fraction(10**70 - 1, 100 * 10**70)
    assert round_score(nearly, mode="truncate", decimals=2) == Decimal("99.99")
    assert round_score(-nearly, mode="truncate", decimals=0) == Decimal("-99")


def test_half_up_decides_on_far_more_digits_than_a_float_or_decimal_default() -> None:
    # 0.125 less 10⁻⁴⁰ is below the half: 0.12, although its first 28 digits say 0.125.
    assert round_score(Fraction(1, 8) - Fraction(1, 10**40), mode="half_up", decimals=2) == (
        Decimal("0.12")
    )
    assert round_score(Fraction(1, 8), mode="half_up", decimals=2) == Decimal("0.13")


def test_vietnamese_number_format_pads_to_the_asked_decimals() -> None:
    assert format_vn(Decimal("98.3"), decimals=2) == "98,30"
    assert format_vn(Decimal("1234567"), decimals=1) == "1.234.567,0"
    assert format_vn(5, decimals=0) == "5"
