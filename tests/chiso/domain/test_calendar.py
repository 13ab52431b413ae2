from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chiso.domain.calendar import CalendarFileError, DayKind, HolidayCalendar

CAL = HolidayCalendar.default()
SHIPPED = resources.files("chiso").joinpath("data/calendar/vn_holidays.yaml").read_text("utf-8")

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
counts = st.integers(min_value=-300, max_value=300)


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lich.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
version: 1
holidays:
  - id: new_year
    name: Tết Dương lịch
    solar: 01-01
"""

# -- the official schedules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2023, 1, 20), date(2023, 1, 26)),
        (date(2024, 2, 8), date(2024, 2, 14)),
        (date(2025, 1, 25), date(2025, 2, 2)),
        (date(2026, 2, 14), date(2026, 2, 22)),
    ],
)
def test_the_announced_tet_break_is_not_worked(first: date, last: date) -> None:
    assert not any(CAL.is_working_day(d) for d in span(first, last))
    assert CAL.is_working_day(first - timedelta(days=1))
    assert CAL.is_working_day(last + timedelta(days=1))
    assert CAL.holiday_name(last - timedelta(days=2)) == "Tết Nguyên đán"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2023, 9, 1), date(2023, 9, 4)),
        (date(2024, 8, 31), date(2024, 9, 3)),
        (date(2025, 8, 30), date(2025, 9, 2)),
        (date(2026, 8, 29), date(2026, 9, 2)),
    ],
)
def test_the_announced_national_day_break_is_not_worked(first: date, last: date) -> None:
    assert not any(CAL.is_working_day(d) for d in span(first, last))
    assert CAL.is_working_day(first - timedelta(days=1))
    assert CAL.is_working_day(last + timedelta(days=1))


@pytest.mark.parametrize(
    ("day_off", "make_up"),
    [
        (date(2024, 4, 29), date(2024, 5, 4)),
        (date(2025, 5, 2), date(2025, 4, 26)),
        (date(2026, 1, 2), date(2026, 1, 10)),
        (date(2026, 8, 31), date(2026, 8, 22)),
    ],
)
def test_a_swapped_weekday_is_off_and_its_make_up_saturday_is_worked(
    day_off: date, make_up: date
) -> None:
    assert CAL.day_kind(day_off) is DayKind.DAY_OFF
    assert not CAL.is_working_day(day_off)
    assert make_up.weekday() == 5
    assert CAL.day_kind(make_up) is DayKind.MAKE_UP
    assert CAL.is_working_day(make_up)
    assert CAL.holiday_name(make_up) is None


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2023, 1, 2), "Nghỉ bù Tết Dương lịch"),
        (date(2023, 5, 2), "Nghỉ bù Giỗ Tổ Hùng Vương"),
        (date(2023, 5, 3), "Nghỉ bù Ngày Chiến thắng"),
        (date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương"),
    ],
)
def test_a_holiday_on_a_weekend_gives_a_compensatory_day(day: date, label: str) -> None:
    assert CAL.day_kind(day) is DayKind.COMPENSATORY
    assert CAL.holiday_name(day) == label


def test_holiday_names_are_vietnamese_labels_in_nfc() -> None:
    assert CAL.holiday_name(date(2025, 4, 7)) == "Giỗ Tổ Hùng Vương"
    assert CAL.holiday_name(date(2025, 4, 30)) == "Ngày Chiến thắng"
    assert CAL.holiday_name(date(2025, 9, 2)) == "Quốc khánh"
    assert CAL.holiday_name(date(2025, 3, 5)) is None
    for year in range(2021, 2027):
        for _, _, name in CAL.special_days(year):
            assert unicodedata.normalize("NFC", name) == name


def test_the_default_rules_reproduce_the_announced_breaks_apart_from_swaps() -> None:
    rules_only = HolidayCalendar.from_text(SHIPPED.split("\nyears:")[0], source="rules-only")
    swaps = {date(2024, 4, 29), date(2024, 5, 4), date(2025, 4, 26), date(2025, 5, 2)}
    swaps |= {date(2026, 1, 2), date(2026, 1, 10), date(2026, 8, 22), date(2026, 8, 31)}
    for d in span(date(2021, 1, 1), date(2026, 12, 31)):
        if d not in swaps:
            assert rules_only.is_working_day(d) == CAL.is_working_day(d), d


# -- arithmetic -------------------------------------------------------------------------


def test_add_working_days_skips_the_tet_break() -> None:
    assert CAL.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert CAL.add_working_days(date(2024, 2, 15), -1) == date(2024, 2, 7)
    assert CAL.add_working_days(date(2024, 2, 10), 0) == date(2024, 2, 15)
    assert CAL.add_working_days(date(2024, 2, 7), 0) == date(2024, 2, 7)


def test_working_days_between_counts_the_half_open_interval() -> None:
    assert CAL.working_days_between(date(2024, 2, 7), date(2024, 2, 15)) == 1
    assert CAL.working_days_between(date(2024, 2, 15), date(2024, 2, 7)) == -1
    assert CAL.working_days_between(date(2024, 3, 4), date(2024, 3, 4)) == 0
    # 22 weekdays in April 2024, minus Giỗ Tổ (18/4), the swapped 29/4 and 30/4.
    assert len(CAL.working_days(date(2024, 4, 1), date(2024, 4, 30))) == 19


def test_next_and_previous_working_day_are_strict() -> None:
    assert CAL.next_working_day(date(2025, 4, 25)) == date(2025, 4, 26)
    assert CAL.next_working_day(date(2025, 4, 29)) == date(2025, 5, 5)
    assert CAL.previous_working_day(date(2025, 5, 5)) == date(2025, 4, 29)


def test_the_table_gives_a_running_index_of_working_days() -> None:
    rows = CAL.table(date(2024, 4, 26), date(2024, 5, 6))
    assert rows[0] == (date(2024, 4, 26), True, 1)
    assert [r[2] for r in rows] == [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 5]
    assert rows[8] == (date(2024, 5, 4), True, 4)  # the make-up Saturday


def test_due_at_counts_from_the_next_working_day_and_closes_at_17h() -> None:
    assert CAL.due_at(datetime(2024, 2, 2, 10, 0), 3) == datetime(2024, 2, 7, 17, 0)
    assert CAL.due_at(datetime(2024, 3, 5, 9, 0), 0) == datetime(2024, 3, 5, 17, 0)


def test_due_at_moves_a_late_afternoon_or_weekend_intake_to_the_next_working_day() -> None:
    assert CAL.due_at(datetime(2024, 2, 7, 15, 0), 1) == datetime(2024, 2, 16, 17, 0)
    assert CAL.due_at(datetime(2024, 2, 7, 14, 59), 1) == datetime(2024, 2, 15, 17, 0)
    assert CAL.due_at(datetime(2024, 3, 9, 8, 0), 0) == datetime(2024, 3, 11, 17, 0)
    # A make-up Saturday is a working day: the intake counts that day.
    assert CAL.due_at(datetime(2024, 5, 4, 9, 0), 1) == datetime(2024, 5, 6, 17, 0)


def test_due_at_takes_the_cutoff_and_closing_time_as_parameters() -> None:
    received = datetime(2024, 3, 5, 16, 0)
    assert CAL.due_at(received, 1, cutoff_hour=17) == datetime(2024, 3, 6, 17, 0)
    assert CAL.due_at(received, 1, closing_time=time(16, 30)) == datetime(2024, 3, 7, 16, 30)


def test_due_at_rejects_negative_limits_and_aware_datetimes() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.due_at(datetime(2024, 3, 5, 9), -1)
    with pytest.raises(ValueError, match="naive"):
        CAL.due_at(datetime(2024, 3, 5, 9).astimezone(), 1)


# -- properties -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(days, counts)
def test_add_working_days_lands_on_a_working_day(d: date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(d, n))


@settings(max_examples=300, deadline=None)
@given(days, counts)
def test_working_days_between_inverts_add_working_days(d: date, n: int) -> None:
    assume(CAL.is_working_day(d))
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@settings(max_examples=300, deadline=None)
@given(days, counts, counts)
def test_add_working_days_is_monotone(d: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert CAL.add_working_days(d, low) <= CAL.add_working_days(d, high)


@settings(max_examples=300, deadline=None)
@given(days, counts, counts)
def test_add_working_days_is_additive_from_a_working_day(d: date, a: int, b: int) -> None:
    assume(CAL.is_working_day(d))
    assert CAL.add_working_days(CAL.add_working_days(d, a), b) == CAL.add_working_days(d, a + b)


@settings(max_examples=500, deadline=None)
@given(days)
def test_no_holiday_or_weekend_is_worked_unless_it_is_a_make_up_day(d: date) -> None:
    kind = CAL.day_kind(d)
    if CAL.holiday_name(d) is not None:
        assert not CAL.is_working_day(d)
    if d.weekday() >= 5:
        assert CAL.is_working_day(d) == (kind is DayKind.MAKE_UP)
    if kind is DayKind.MAKE_UP:
        assert d.weekday() >= 5


@settings(max_examples=200, deadline=None)
@given(days)
def test_nothing_is_worked_between_a_day_and_its_next_working_day(d: date) -> None:
    nxt = CAL.next_working_day(d)
    assert nxt > d
    assert CAL.working_days_between(d, nxt) == 1
    assert CAL.working_days_between(d, nxt - timedelta(days=1)) == 0


@settings(max_examples=100, deadline=None)
@given(days, st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=120))
def test_table_indexes_agree_with_working_days_between(d: date, i: int, j: int) -> None:
    rows = CAL.table(d, d + timedelta(days=max(i, j)))
    assert rows[j][2] - rows[i][2] == CAL.working_days_between(rows[i][0], rows[j][0])


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)),
    st.integers(min_value=0, max_value=60),
)
def test_due_at_is_a_working_day_at_closing_time_no_earlier_than_intake(
    received: datetime, limit: int
) -> None:
    due = CAL.due_at(received, limit)
    assert due.time() == time(17, 0)
    assert due.date() >= received.date()
    assert CAL.is_working_day(due.date())


# -- the file a province edits ------------------------------------------------------------


def test_a_province_can_ship_its_own_calendar_file(tmp_path: Path) -> None:
    text = MINIMAL.replace("holidays:", "weekend: [sunday]\nholidays:")
    cal = HolidayCalendar.from_yaml(write(tmp_path, text))
    assert cal.is_working_day(date(2025, 3, 8))  # a Saturday
    assert not cal.is_working_day(date(2025, 3, 9))
    assert cal.holiday_name(date(2025, 1, 1)) == "Tết Dương lịch"


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        (MINIMAL.replace("solar:", "solr:"), 5, "unknown key 'solr'", "có phải là 'solar'"),
        (MINIMAL.replace("01-01", "13-01"), 5, "not a month-day", "MM-DD"),
        (MINIMAL.replace("version: 1", "version: 2"), 1, "out of range", "1 to 1"),
        (MINIMAL + "years:\n  2025:\n    note: x\n", 8, "missing key 'source'", "source"),
        (
            MINIMAL + "years:\n  2025:\n    source: x\n    holidays:\n      tet: 2025-01-27\n",
            10,
            "unknown key 'tet'",
            "allowed: new_year",
        ),
        (
            MINIMAL + "years:\n  2025:\n    source: x\n    days_off:\n      - date: 2025-02-30\n"
            "        name: x\n",
            10,
            "not a date",
            "YYYY-MM-DD",
        ),
        (
            MINIMAL
            + "years:\n  2025:\n    source: x\n    working_days:\n      - date: 2025-03-05\n"
            "        name: Làm bù\n",
            10,
            "already a working day",
            "weekend day",
        ),
        (
            MINIMAL
            + "years:\n  2022:\n    source: x\n    working_days:\n      - date: 2022-01-01\n"
            "        name: Làm bù\n",
            10,
            "also a day off",
            "remove one",
        ),
        (MINIMAL + "  - id: x\n    name: [a\n", 8, "not valid YAML", "indentation"),
        (
            MINIMAL.replace(
                "holidays:",
                "weekend: [monday, tuesday, wednesday, thursday, friday,"
                " saturday, sunday]\nholidays:",
            ),
            2,
            "every day of the week",
            "at most six",
        ),
        (
            MINIMAL + "years:\n  2025:\n    source: x\n    holidays:\n      new_year: 2024-01-01\n",
            10,
            "must lie in 2025",
            "check the year",
        ),
    ],
)
def test_a_bad_calendar_file_is_reported_with_file_line_and_hint(
    tmp_path: Path, text: str, line: int, message: str, hint: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CalendarFileError) as caught:
        HolidayCalendar.from_yaml(path)
    assert str(caught.value.message).startswith(f"{path}:{line}: ")
    assert message in caught.value.message
    assert caught.value.hint is not None
    assert hint in caught.value.hint


def test_a_missing_calendar_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError, match="không đọc được tệp lịch nghỉ"):
        HolidayCalendar.from_yaml(tmp_path / "missing.yaml")


def test_the_calendar_is_immutable_and_the_default_is_shared() -> None:
    assert HolidayCalendar.default() is CAL
    with pytest.raises(AttributeError):
        CAL.rules = CAL.rules  # type: ignore[misc]
