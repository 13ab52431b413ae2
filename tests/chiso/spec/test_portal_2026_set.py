"""vn-766-portal-2026: the rules observed on the portal's live data of 10/2026 reproduce
its printed points, the portal set is chosen by period, and the new fields are checked."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

from chiso.domain.periods import Period
from chiso.domain.rounding import to_decimal
from chiso.engine.evaluate import indicator_points
from chiso.errors import UserError
from chiso.portal.groups import portal_index_set
from chiso.spec.loader import load_for_period, load_index_set, validate_text

SET = load_index_set("vn-766-portal-2026")

# (indicator, observed ratio in %, points printed by the portal), national-2026.md §1.3 (R10).
OBSERVED = [
    ("dossiers_on_time", None, "18.03"),  # 1724/1912
    ("e_results", "83.37", "5.00"),
    ("e_results", "74.23", "4.45"),
    ("digitised_dossiers", "21.23", "0.85"),  # LIN, not THR 80 %
    ("digitised_dossiers", "92.2", "3.69"),
    ("reused_data_dossiers", "18.1", "0.45"),  # THR 80 %
    ("reused_data_dossiers", "58.94", "1.47"),
    ("reused_data_dossiers", "97.25", "2"),
    ("dossier_satisfaction", "88.72", "5.91"),  # THR 90 %
    ("dossier_satisfaction", "90.17", "6"),
]


def _printed(code: str, num: int, den: int) -> Decimal:
    ind = next(i for i in SET.indicators if i.code == code)
    points = indicator_points(ind, Fraction(num), Fraction(den))[1]
    assert points is not None
    return to_decimal(points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(("code", "percent", "printed"), OBSERVED)
def test_the_observed_rules_reproduce_the_portals_printed_points(
    code: str, percent: str | None, printed: str
) -> None:
    num, den = (1724, 1912) if percent is None else (int(Decimal(percent) * 100), 10000)
    assert _printed(code, num, den) == Decimal(printed)


def test_no_petition_gives_full_points_and_the_maxima_sum_to_100() -> None:
    assert SET.max_total == 100
    assert [g.max for g in SET.groups] == [18, 20, 12, 10, 22, 18]
    for code in ("petitions_on_time", "petition_satisfaction"):
        assert _printed(code, 0, 0) == 6


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.of_month(2025, 10), "vn-766-portal-2025"),
        (Period.of_year(2025), "vn-766-portal-2025"),
        (Period.of_month(2026, 1), "vn-766-portal-2026"),
        (Period.of_year(2026), "vn-766-portal-2026"),
    ],
)
def test_the_portal_set_is_the_one_in_force_in_the_period(period: Period, expected: str) -> None:
    assert portal_index_set(period).id == expected


def test_a_period_no_portal_set_covers_is_refused_in_vietnamese() -> None:
    with pytest.raises(UserError, match="không bộ chỉ số nào áp dụng cho kỳ 01/01/2024"):
        load_for_period(("vn-766-portal-2025", "vn-766-portal-2026"),
                        date(2024, 1, 1), date(2024, 1, 31))  # fmt: skip


def test_no_value_and_carried_from_belong_to_manual_indicators() -> None:
    path = Path(str(resources.files("chiso") / "index_sets" / "vn-766-portal-2026"))
    text = (path / "index_set.yaml").read_text(encoding="utf-8")
    flag = "zero_denominator: zero\n        quality_flag"
    computed = text.replace(
        flag, flag.replace("quality_flag", "no_value: full\n        quality_flag")
    )
    found, issues = validate_text(computed)
    assert found is None
    assert [i.code for i in issues] == ["manual-only-field"]
