"""Indicator results: a result kept as counts equals the one built from fractions."""

from __future__ import annotations

import pickle
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from chiso.engine import assemble
from chiso.engine.results import IndicatorResult
from chiso.spec.loader import load_index_set


def _eager(num: int, den: int, top: Decimal) -> IndicatorResult:
    rate = Fraction(num, den)
    return IndicatorResult(
        "TD", "TIEN_DO", "Tiến độ", top, True, True, "computed",
        Fraction(num), Fraction(den), rate, Fraction(top) * rate,
    )  # fmt: skip


@pytest.mark.parametrize(("num", "den", "top"), [(0, 7, "30"), (5, 7, "30"), (9, 9, "2.5")])
def test_a_result_over_counts_reads_as_its_eager_twin(num: int, den: int, top: str) -> None:
    maximum = Decimal(top)
    tn, td = maximum.as_integer_ratio()
    head = ("TD", "TIEN_DO", "Tiến độ", maximum, True)
    lazy = IndicatorResult.from_counts(head, num, den, (tn * num, td * den))
    eager = _eager(num, den, maximum)
    assert lazy.total_terms() is not None
    (n, d), most = lazy.total_terms()  # type: ignore[misc]
    assert (Fraction(n, d), most) == (eager.points, maximum)
    assert (lazy.numerator, lazy.denominator, lazy.rate, lazy.points) == (
        eager.numerator, eager.denominator, eager.rate, eager.points,
    )  # fmt: skip
    assert type(lazy.numerator) is Fraction
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy.to_json() == eager.to_json()
    assert repr(lazy) == repr(eager)
    copy = pickle.loads(pickle.dumps(lazy))
    assert copy == eager and copy.points == eager.points and copy.total_terms() is not None


def test_results_are_read_only() -> None:
    result = _eager(1, 2, Decimal(10))
    with pytest.raises(AttributeError):
        result.points = Fraction(10)  # type: ignore[misc]


def test_uncounted_results_add_nothing() -> None:
    absent = IndicatorResult("CK1", "CONG_KHAI", "Công khai", Decimal(5), False, True, "computed")
    outside = IndicatorResult(
        "X", "G", "Ngoài tổng", Decimal(5), True, False, "manual", points=Fraction(5)
    )
    assert absent.total_terms() is None and outside.total_terms() is None
    assert absent.points_ratio() == (0, 1)


def test_compiled_plans_are_bounded() -> None:
    base = load_index_set("dienbien-459-2023")
    copies = [replace(base, name=f"bản {i}") for i in range(assemble.MAX_PLANS + 5)]
    for copy in copies:
        assert assemble.plan_of(copy)[0].ind.code == base.indicators[0].code
    assert assemble.plan_of.cache_info().currsize <= assemble.MAX_PLANS
    assert assemble.plan_of(copies[-1]) is assemble.plan_of(copies[-1])
