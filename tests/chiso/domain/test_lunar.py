from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.domain.lunar import (
    LunarDate,
    leap_month,
    lunar_new_year,
    lunar_to_solar,
    month_length,
    solar_to_lunar,
)

TET = {
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    1985: date(1985, 1, 21),
    2007: date(2007, 2, 17),
}

GIO_TO = {
    2023: date(2023, 4, 29),
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
}

solar_days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(("year", "expected"), sorted(TET.items()))
def test_tet_falls_on_the_known_mung_1(year: int, expected: date) -> None:
    assert lunar_new_year(year) == expected
    assert solar_to_lunar(expected) == LunarDate(year, 1, 1)


def test_tet_1985_follows_vietnam_time_not_china_time() -> None:
    # In the UTC+8 Chinese calendar Tết 1985 is 20/2; in Vietnam that day is 1/2 âm lịch.
    assert lunar_new_year(1985) == date(1985, 1, 21)
    assert solar_to_lunar(date(1985, 2, 20)) == LunarDate(1985, 2, 1)


def test_tet_2007_is_a_day_before_the_chinese_new_year() -> None:
    assert solar_to_lunar(date(2007, 2, 18)) == LunarDate(2007, 1, 2)


@pytest.mark.parametrize(("year", "expected"), sorted(GIO_TO.items()))
def test_gio_to_hung_vuong_is_the_tenth_of_the_third_month(year: int, expected: date) -> None:
    assert lunar_to_solar(year, 3, 10) == expected


@pytest.mark.parametrize(
    ("year", "month"),
    [(2012, 4), (2014, 9), (2017, 6), (2020, 4), (2023, 2), (2025, 6), (2028, 5), (2024, None)],
)
def test_it_knows_the_leap_month_of_a_year(year: int, month: int | None) -> None:
    assert leap_month(year) == month


def test_a_leap_month_repeats_the_number_of_the_month_before_it() -> None:
    assert lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert solar_to_lunar(date(2023, 3, 21)) == LunarDate(2023, 2, 30)
    assert str(solar_to_lunar(date(2023, 4, 1))) == "11/02 nhuận/2023"


def test_the_last_day_of_the_lunar_year_may_be_the_29th_or_the_30th() -> None:
    assert solar_to_lunar(date(2024, 2, 9)) == LunarDate(2023, 12, 30)
    assert solar_to_lunar(date(2025, 1, 28)) == LunarDate(2024, 12, 29)
    assert month_length(2023, 12) == 30
    assert month_length(2024, 12) == 29


def test_it_rejects_lunar_dates_that_do_not_exist() -> None:
    with pytest.raises(ValueError, match="no leap month"):
        lunar_to_solar(2024, 2, 1, leap=True)
    with pytest.raises(ValueError, match="29 days"):
        lunar_to_solar(2024, 12, 30)
    with pytest.raises(ValueError, match="month"):
        lunar_to_solar(2024, 13, 1)
    with pytest.raises(ValueError, match="outside"):
        solar_to_lunar(date(1700, 1, 1))


@settings(max_examples=400, deadline=None)
@given(solar_days)
def test_solar_to_lunar_round_trips(d: date) -> None:
    lunar = solar_to_lunar(d)
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, leap=lunar.leap) == d
    assert 1 <= lunar.month <= 12
    assert 1 <= lunar.day <= month_length(lunar.year, lunar.month, leap=lunar.leap) <= 30
    assert lunar.year in (d.year - 1, d.year)


@settings(max_examples=300, deadline=None)
@given(solar_days)
def test_the_next_solar_day_is_the_next_lunar_day_or_a_new_month(d: date) -> None:
    today, tomorrow = solar_to_lunar(d), solar_to_lunar(d + timedelta(days=1))
    if tomorrow.day == 1:
        assert today.day in (29, 30)
    else:
        assert (tomorrow.year, tomorrow.month, tomorrow.leap) == (
            today.year,
            today.month,
            today.leap,
        )
        assert tomorrow.day == today.day + 1


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1950, max_value=2100))
def test_a_lunar_year_has_twelve_months_or_thirteen_with_a_leap_month(year: int) -> None:
    days = (lunar_new_year(year + 1) - lunar_new_year(year)).days
    leap = leap_month(year)
    assert (days in range(353, 356)) if leap is None else (days in range(383, 386))
    assert date(year, 1, 21) <= lunar_new_year(year) <= date(year, 2, 20)
