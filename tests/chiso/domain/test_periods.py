from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.domain.periods import (
    Period,
    PeriodError,
    PeriodKind,
    months_of,
    parse_period,
    shown,
)

LATER = datetime(2199, 12, 31)  # a "now" after every period used below: all are closed
NOW = datetime(2026, 11, 5, 9, 30)

years = st.integers(min_value=1990, max_value=2100)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    year = draw(years)
    kind = draw(st.sampled_from([k for k in PeriodKind if k is not PeriodKind.LIVE]))
    if kind is PeriodKind.MONTH:
        return Period.of_month(year, draw(st.integers(1, 12)))
    if kind is PeriodKind.QUARTER:
        return Period.of_quarter(year, draw(st.integers(1, 4)))
    if kind is PeriodKind.HALF:
        return Period.of_half(year, draw(st.integers(1, 2)))
    if kind is PeriodKind.YEAR:
        return Period.of_year(year)
    first = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
    return Period.of_range(first, first + timedelta(days=draw(st.integers(0, 400))))


@pytest.mark.parametrize(
    ("text", "kind", "label", "code"),
    [
        ("2024-11", PeriodKind.MONTH, "tháng 11 năm 2024", "2024-11"),
        ("11/2024", PeriodKind.MONTH, "tháng 11 năm 2024", "2024-11"),
        ("3/2024", PeriodKind.MONTH, "tháng 3 năm 2024", "2024-03"),
        ("2024-Q4", PeriodKind.QUARTER, "quý IV năm 2024", "2024-Q4"),
        ("2024-q1", PeriodKind.QUARTER, "quý I năm 2024", "2024-Q1"),
        ("2024-H1", PeriodKind.HALF, "6 tháng đầu năm 2024", "2024-H1"),
        ("2024-H2", PeriodKind.HALF, "6 tháng cuối năm 2024", "2024-H2"),
        (" 2024 ", PeriodKind.YEAR, "năm 2024", "2024"),
        (
            "2024-01-01..2024-03-31",
            PeriodKind.RANGE,
            "từ 01/01/2024 đến 31/03/2024",
            "2024-01-01..2024-03-31",
        ),
    ],
)
def test_it_reads_every_accepted_form_with_a_vietnamese_label(
    text: str, kind: PeriodKind, label: str, code: str
) -> None:
    period = parse_period(text, now=LATER)
    assert (period.kind, period.label, period.code) == (kind, label, code)
    assert unicodedata.normalize("NFC", period.label) == period.label
    assert period.as_of == period.end


def test_a_month_is_half_open() -> None:
    november = parse_period("2024-11", now=LATER)
    assert (november.start, november.end) == (datetime(2024, 11, 1), datetime(2024, 12, 1))
    assert november.contains(datetime(2024, 11, 30, 23, 59, 59))
    assert not november.contains(datetime(2024, 12, 1))


def test_a_range_includes_its_last_day_in_the_text_but_not_in_the_object() -> None:
    q1 = parse_period("2024-01-01..2024-03-31", now=LATER)
    assert q1.end == datetime(2024, 4, 1)
    assert q1.contains(datetime(2024, 3, 31, 23, 59))
    assert not q1.contains(datetime(2024, 4, 1))
    assert (q1.start, q1.end) == (Period.of_quarter(2024, 1).start, Period.of_quarter(2024, 1).end)


def test_live_runs_from_the_first_of_this_month_until_now() -> None:
    live = parse_period("live", now=NOW)
    assert live.kind is PeriodKind.LIVE
    assert (live.start, live.end, live.as_of) == (datetime(2026, 11, 1), NOW, NOW)
    assert live.label == "từ 01/11/2026 đến nay"
    assert live.code == "live:2026-11"
    assert parse_period("live:2026-11", now=NOW) == live


@pytest.mark.parametrize("text", ["ytd:2026", "live:2026", "YTD"])
def test_year_to_date_runs_from_the_first_of_january_until_now(text: str) -> None:
    ytd = parse_period(text, now=NOW)
    assert (ytd.start, ytd.end, ytd.as_of) == (datetime(2026, 1, 1), NOW, NOW)
    assert ytd.label == "từ 01/01/2026 đến nay"
    assert ytd.code == "ytd:2026"


def test_to_date_of_a_finished_year_or_month_is_the_closed_period() -> None:
    assert parse_period("ytd:2025", now=NOW) == Period.of_year(2025)
    assert parse_period("live:2026-10", now=NOW) == Period.of_month(2026, 10)


def test_a_running_period_is_judged_now_and_a_finished_one_at_its_end() -> None:
    running = parse_period("2026-11", now=NOW)
    assert (running.end, running.as_of) == (datetime(2026, 12, 1), NOW)
    assert parse_period("2026-10", now=NOW).as_of == datetime(2026, 11, 1)
    future = parse_period("2027", now=NOW)
    assert future.as_of == future.start


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-13",
        "13/2024",
        "2024-Q5",
        "2024-H3",
        "Q4-2024",
        "tháng 11",
        "2024-02-30..2024-03-01",
        "2024-03-31..2024-01-01",
        "1850",
        "ytd:2026-11",
        "live:2027",
    ],
)
def test_it_rejects_bad_text_naming_it_and_listing_the_accepted_forms(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, now=NOW)
    assert repr(text) in caught.value.message
    assert caught.value.hint is not None
    assert "2024-Q4" in caught.value.hint
    assert "ytd:2026" in caught.value.hint


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2024-01", "2023-12"),
        ("2024-Q1", "2023-Q4"),
        ("2024-Q3", "2024-Q2"),
        ("2024-H1", "2023-H2"),
        ("2024-H2", "2024-H1"),
        ("2024", "2023"),
        ("2024-03-01..2024-03-10", "2024-02-20..2024-02-29"),
    ],
)
def test_previous_is_the_period_of_the_same_kind_just_before(code: str, previous: str) -> None:
    assert parse_period(code, now=LATER).previous().code == previous


def test_previous_of_a_live_period_is_the_closed_period_before_it() -> None:
    assert parse_period("live", now=NOW).previous() == Period.of_month(2026, 10)
    assert parse_period("ytd:2026", now=NOW).previous() == Period.of_year(2025)


def test_constructors_reject_impossible_numbers() -> None:
    with pytest.raises(ValueError, match="quarter"):
        Period.of_quarter(2024, 5)
    with pytest.raises(ValueError, match="month"):
        Period.of_month(2024, 0)
    with pytest.raises(ValueError, match="no live period"):
        Period.live(date(2026, 3, 15), NOW)
    with pytest.raises(ValueError, match="no live period"):
        Period.live(date(2026, 3, 1), NOW)  # now is in November: not month to date
    with pytest.raises(ValueError, match="naive"):
        Period(PeriodKind.YEAR, datetime(2024, 1, 1).astimezone(), LATER, LATER, "x")


# -- properties -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(years, st.integers(1, 12))
def test_previous_of_a_month_is_the_adjacent_month(year: int, month: int) -> None:
    period = Period.of_month(year, month)
    before = period.previous()
    assert before.kind is PeriodKind.MONTH
    assert before.end == period.start
    assert 28 <= (before.end - before.start).days <= 31


@settings(max_examples=100, deadline=None)
@given(years)
def test_the_months_of_a_year_partition_it(year: int) -> None:
    months = months_of(year)
    whole = Period.of_year(year)
    assert months[0].start == whole.start and months[-1].end == whole.end
    assert all(a.end == b.start for a, b in pairwise(months))
    assert sum((m.end - m.start).days for m in months) == (whole.end - whole.start).days


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_every_instant_of_a_year_is_in_exactly_one_month(ts: datetime) -> None:
    assert sum(m.contains(ts) for m in months_of(ts.year)) == 1


@settings(max_examples=300, deadline=None)
@given(periods())
def test_parsing_the_code_gives_back_the_period(period: Period) -> None:
    assert parse_period(period.code, now=LATER) == period


@settings(max_examples=200, deadline=None)
@given(periods(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_parsing_the_code_round_trips_for_any_now(period: Period, now: datetime) -> None:
    parsed = parse_period(period.code, now=now)
    assert (parsed.start, parsed.end, parsed.label) == (period.start, period.end, period.label)
    assert parsed.start <= parsed.as_of <= parsed.end


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_live_periods_round_trip_with_the_same_now(now: datetime) -> None:
    for text in ("live", "ytd:" + str(now.year)):
        period = parse_period(text, now=now)
        assert parse_period(period.code, now=now) == period
        assert period.contains(period.start) or period.start == period.end


@settings(max_examples=200, deadline=None)
@given(periods())
def test_previous_ends_where_the_period_starts(period: Period) -> None:
    before = period.previous()
    assert before.kind is period.kind
    assert before.end == period.start


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("2026-10", "tháng 10/2026"),
        ("2026-Q3", "quý III/2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026", "năm 2026"),
        ("2026-01-01..2026-03-31", "từ 01/01/2026 đến 31/03/2026"),
        ("live:2026-11", "từ 01/11/2026 đến nay"),
        ("", ""),
        ("tháng 11", "tháng 11"),
    ],
)
def test_a_period_code_is_shown_in_the_pages_wording(code: str, text: str) -> None:
    assert shown(code, now=NOW) == text
    if code.startswith("20") and ".." not in code:
        assert parse_period(code, now=LATER).shown == text


def test_a_bad_period_is_explained_in_vietnamese() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("thang 10", now=NOW)
    assert caught.value.message == "'thang 10' không phải là kỳ báo cáo"
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("viết một trong các dạng: 2024-11 hoặc 11/2024 (tháng)")
