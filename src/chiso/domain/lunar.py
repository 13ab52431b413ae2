"""Vietnamese lunisolar calendar (âm lịch): solar ⇄ lunar conversion with leap months.

The rules are the astronomical ones published by Hồ Ngọc Đức for the Vietnamese calendar:

* a lunar month starts on the local civil day that contains a new moon;
* month 11 is the month that contains the December solstice (sun longitude 270°);
* a "sui" (the span from one month 11 to the next) with 13 months has a leap month: the
  first month after month 11 that contains no major solar term (no multiple of 30° of
  sun longitude is crossed); it takes the number of the month before it;
* days are civil days in **UTC+7** (Vietnam).  The Chinese calendar uses UTC+8, so the two
  differ when a new moon or a solar term falls between 16:00 and 17:00 UTC; Tết 1985 is
  21/1/1985 in Vietnam but 20/2/1985 in China, and 2007 differs as well.

New-moon instants use the truncated lunar-phase series of Jean Meeus (*Astronomical
Algorithms*, ch. 49), the sun's apparent longitude the low-precision solar theory of
ch. 25; both are far more precise than the one-day resolution needed between 1900 and 2199.

Day numbers below are Julian Day Numbers (JDN) of civil days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = [
    "TIME_ZONE_HOURS",
    "LunarDate",
    "leap_month",
    "lunar_new_year",
    "lunar_to_solar",
    "month_length",
    "solar_to_lunar",
]

TIME_ZONE_HOURS = 7.0
"""Vietnam civil time (UTC+7); the offset that makes this calendar Vietnamese."""

MIN_YEAR = 1800
MAX_YEAR = 2199

_SYNODIC_MONTH = 29.530588853
_NEW_MOON_EPOCH = 2415021.076998695  # JD of the mean new moon of 1900-01-01
_ORDINAL_TO_JDN = 1721425  # date.toordinal() + this = Julian Day Number
_DEG = math.pi / 180.0


@dataclass(frozen=True, order=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar.

    Attributes:
        year: Lunar year, numbered like the solar year in which its month 1 starts.
        month: 1–12.
        day: 1–30.
        leap: True for a day of a leap month (tháng nhuận).
    """

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        """Vietnamese short form, e.g. ``11/02 nhuận/2023``."""
        suffix = " nhuận" if self.leap else ""
        return f"{self.day:02d}/{self.month:02d}{suffix}/{self.year}"


@dataclass(frozen=True)
class _Month:
    number: int
    leap: bool
    start: int  # JDN of day 1
    length: int


def _jdn(d: date) -> int:
    return d.toordinal() + _ORDINAL_TO_JDN


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _ORDINAL_TO_JDN)


def _new_moon_jd(k: int) -> float:
    """Julian Date (TT ≈ UT) of the k-th new moon after the one of 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    mean = 2415020.75933 + _SYNODIC_MONTH * k + 0.0001178 * t2 - 0.000000155 * t3
    mean += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DEG)
    sun = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * _DEG
    moon = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * _DEG
    lat = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * _DEG
    correction = (
        (0.1734 - 0.000393 * t) * math.sin(sun)
        + 0.0021 * math.sin(2 * sun)
        - 0.4068 * math.sin(moon)
        + 0.0161 * math.sin(2 * moon)
        - 0.0004 * math.sin(3 * moon)
        + 0.0104 * math.sin(2 * lat)
        - 0.0051 * math.sin(sun + moon)
        - 0.0074 * math.sin(sun - moon)
        + 0.0004 * math.sin(2 * lat + sun)
        - 0.0004 * math.sin(2 * lat - sun)
        - 0.0006 * math.sin(2 * lat + moon)
        + 0.0010 * math.sin(2 * lat - moon)
        + 0.0005 * math.sin(2 * moon + sun)
    )
    # ΔT (TT − UT) in days, two polynomial fits split at 1-1-1800 (t = -11).
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return mean + correction - delta_t


def _new_moon_day(k: int) -> int:
    """JDN of the Vietnamese civil day that contains the k-th new moon."""
    return math.floor(_new_moon_jd(k) + 0.5 + TIME_ZONE_HOURS / 24.0)


def _sun_longitude(jd: float) -> float:
    """Apparent ecliptic longitude of the sun in radians, in [0, 2π)."""
    t = (jd - 2451545.0) / 36525.0
    t2 = t * t
    anomaly = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * _DEG
    mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    centre = (
        (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000290 * math.sin(3 * anomaly)
    )
    longitude = (mean_longitude + centre) * _DEG
    return longitude % (2 * math.pi)


def _term_sector(jdn: int) -> int:
    """Which 30° sector (0–11) the sun is in at local midnight starting day ``jdn``."""
    local_midnight = jdn - 0.5 - TIME_ZONE_HOURS / 24.0
    return math.floor(_sun_longitude(local_midnight) / (math.pi / 6))


def _month_eleven(solar_year: int) -> int:
    """Index k of the new moon that starts month 11 (the solstice month) of ``solar_year``."""
    days_since_epoch = _jdn(date(solar_year, 12, 31)) - 2415021
    k = math.floor(days_since_epoch / _SYNODIC_MONTH)
    # If that new moon falls after the solstice (sector ≥ 9, i.e. ≥ 270°), the solstice
    # month started one lunation earlier.
    if _term_sector(_new_moon_day(k)) >= 9:
        k -= 1
    return k


@lru_cache(maxsize=512)
def _sui(solar_year: int) -> tuple[_Month, ...]:
    """Months from month 11 of ``solar_year - 1`` up to, not including, month 11 of ``solar_year``.

    Months numbered 11 and 12 at the head belong to lunar year ``solar_year - 1``; the others
    (1–10, with any leap month) to lunar year ``solar_year``.
    """
    first, last = _month_eleven(solar_year - 1), _month_eleven(solar_year)
    starts = [_new_moon_day(k) for k in range(first, last + 1)]
    count = len(starts) - 1
    leap_at = -1
    if count == 13:
        # The first month (after month 11 itself) in which no major term begins.
        leap_at = next(
            (i for i in range(1, 13) if _term_sector(starts[i]) == _term_sector(starts[i + 1])),
            -1,
        )
    months: list[_Month] = []
    number = 10
    for i in range(count):
        is_leap = i == leap_at
        if not is_leap:
            number = number % 12 + 1
        months.append(_Month(number, is_leap, starts[i], starts[i + 1] - starts[i]))
    return tuple(months)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside the supported range {MIN_YEAR}–{MAX_YEAR}")


def solar_to_lunar(d: date) -> LunarDate:
    """Convert a solar (Gregorian) date to the Vietnamese lunar date.

    Examples:
        >>> solar_to_lunar(date(2024, 2, 10))
        LunarDate(year=2024, month=1, day=1, leap=False)
        >>> str(solar_to_lunar(date(2023, 4, 1)))
        '11/02 nhuận/2023'
    """
    _check_year(d.year)
    jdn = _jdn(d)
    sui_year = d.year + 1 if jdn >= _new_moon_day(_month_eleven(d.year)) else d.year
    month = next(m for m in reversed(_sui(sui_year)) if m.start <= jdn)
    lunar_year = sui_year - 1 if month.number >= 11 else sui_year
    return LunarDate(lunar_year, month.number, jdn - month.start + 1, month.leap)


def _find_month(year: int, month: int, leap: bool) -> _Month:
    _check_year(year)
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month must be 1–12, got {month}")
    sui_year = year + 1 if month >= 11 else year
    for candidate in _sui(sui_year):
        if candidate.number == month and candidate.leap == leap:
            return candidate
    raise ValueError(f"lunar year {year} has no leap month {month}")


def lunar_to_solar(year: int, month: int, day: int, *, leap: bool = False) -> date:
    """Convert a Vietnamese lunar date to the solar date.

    Raises:
        ValueError: the date does not exist (no such leap month, or day 30 of a 29-day month).

    Examples:
        >>> lunar_to_solar(2025, 3, 10)
        datetime.date(2025, 4, 7)
        >>> lunar_to_solar(2023, 2, 1, leap=True)
        datetime.date(2023, 3, 22)
    """
    found = _find_month(year, month, leap)
    if not 1 <= day <= found.length:
        raise ValueError(f"lunar month {month}/{year} has {found.length} days, not {day}")
    return _from_jdn(found.start + day - 1)


def month_length(year: int, month: int, *, leap: bool = False) -> int:
    """Number of days (29 or 30) of a lunar month.

    Examples:
        >>> month_length(2023, 12), month_length(2025, 12)
        (30, 29)
    """
    return _find_month(year, month, leap).length


def leap_month(year: int) -> int | None:
    """The number of the leap month of a lunar year, or None.

    Examples:
        >>> leap_month(2023), leap_month(2024), leap_month(2025)
        (2, None, 6)
    """
    _check_year(year)
    months = [m for m in _sui(year) if m.number < 11] + [
        m for m in _sui(year + 1) if m.number >= 11
    ]
    return next((m.number for m in months if m.leap), None)


def lunar_new_year(year: int) -> date:
    """Mùng 1 Tết: the solar date of day 1 of month 1 of a lunar year.

    Examples:
        >>> lunar_new_year(1985)
        datetime.date(1985, 1, 21)
    """
    return lunar_to_solar(year, 1, 1)
