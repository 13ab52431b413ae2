"""Reporting periods: month, quarter, half year, year, date range and live (to date).

A :class:`Period` is a half-open interval ``[start, end)`` of **naive Vietnam local time**
(Asia/Ho_Chi_Minh, UTC+7, no daylight saving; timestamps are stored and compared without a
zone) plus ``as_of``, the instant at which unfinished dossiers are judged (domain.md §3.5:
pending dossiers are judged at the period end).  ``as_of`` is ``end`` for a period that is
over, and "now" for a live period or one still running.  Labels are the Vietnamese wording of
the reports ("tháng 11 năm 2024", "quý IV năm 2024", "6 tháng đầu năm 2024"); ``code`` is a
stable ASCII spelling that :func:`parse_period` reads back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import assert_never

from chiso.domain import clock
from chiso.errors import UserError
from chiso.i18n import N_, _

__all__ = [
    "NotStartedError",
    "Period",
    "PeriodError",
    "PeriodKind",
    "choices",
    "months_of",
    "parse_period",
    "require_started",
    "shown",
]

MIN_YEAR, MAX_YEAR = 1900, 2199
_ROMAN = ("I", "II", "III", "IV")
#: The forms :func:`parse_period` reads, as the hint of its errors shows them (an English
#: id: translate with ``_()`` where shown).
ACCEPTED_FORMS = N_(
    "2024-11 or 11/2024 (month); 2024-Q4 (quarter); 2024-H1, 2024-H2 (half year); "
    "2024 (year); 2024-01-01..2024-03-31 (from a day to a day); "
    "live (this month to date); live:2026-11 (from that month to date); "
    "live:2026 or ytd:2026 (from the start of the year to date)"
)


class PeriodError(UserError):
    """A period string that cannot be read."""


class NotStartedError(PeriodError):
    """A period that starts at or after the clock: it has no data yet."""


class PeriodKind(StrEnum):
    """Kinds of reporting period."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"
    LIVE = "live"


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _month_start(year: int, month: int) -> datetime:
    """First instant of a month; ``month`` may run over (13 is January of the next year)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1)


def _check(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be {low}–{high}, got {value}")


@dataclass(frozen=True)
class Period:
    """A reporting period ``[start, end)`` judged at ``as_of``; see the module docstring.

    Examples:
        >>> p = Period.of_quarter(2024, 4)
        >>> p.label, p.code, p.end
        ('quý IV năm 2024', '2024-Q4', datetime.datetime(2025, 1, 1, 0, 0))
    """

    kind: PeriodKind
    start: datetime
    end: datetime
    as_of: datetime
    label: str

    def __post_init__(self) -> None:
        """Check that the instants are naive and ordered start ≤ as_of ≤ end."""
        if any(t.tzinfo is not None for t in (self.start, self.end, self.as_of)):
            raise ValueError("period instants must be naive Vietnam local time")
        if not self.start <= self.as_of <= self.end or (
            self.start == self.end and self.kind is not PeriodKind.LIVE
        ):
            raise ValueError(f"bad period bounds {self.start} / {self.as_of} / {self.end}")

    # -- constructors -------------------------------------------------------------------

    @classmethod
    def _closed(
        cls, kind: PeriodKind, start: datetime, end: datetime, label: str, now: datetime | None
    ) -> Period:
        as_of = end if now is None else min(end, max(start, now))
        return cls(kind, start, end, as_of, label)

    @classmethod
    def of_month(cls, year: int, month: int, *, now: datetime | None = None) -> Period:
        """Calendar month; ``now`` (if given) caps ``as_of`` while the month is running."""
        _check("month", month, 1, 12)
        start = _month_start(year, month)
        label = f"tháng {start.month} năm {start.year}"
        return cls._closed(PeriodKind.MONTH, start, _month_start(year, month + 1), label, now)

    @classmethod
    def of_quarter(cls, year: int, quarter: int, *, now: datetime | None = None) -> Period:
        """Quarter 1–4 ("quý I" … "quý IV")."""
        _check("quarter", quarter, 1, 4)
        start, end = _month_start(year, 3 * quarter - 2), _month_start(year, 3 * quarter + 1)
        label = f"quý {_ROMAN[quarter - 1]} năm {year}"
        return cls._closed(PeriodKind.QUARTER, start, end, label, now)

    @classmethod
    def of_half(cls, year: int, half: int, *, now: datetime | None = None) -> Period:
        """Half year 1 ("6 tháng đầu năm") or 2 ("6 tháng cuối năm")."""
        _check("half", half, 1, 2)
        start = _month_start(year, 6 * half - 5)
        label = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
        return cls._closed(PeriodKind.HALF, start, _month_start(year, 6 * half + 1), label, now)

    @classmethod
    def of_year(cls, year: int, *, now: datetime | None = None) -> Period:
        """Calendar year."""
        return cls._closed(
            PeriodKind.YEAR, datetime(year, 1, 1), datetime(year + 1, 1, 1), f"năm {year}", now
        )

    @classmethod
    def of_range(cls, first: date, last: date, *, now: datetime | None = None) -> Period:
        """The days ``first`` to ``last``, both included (``end`` is midnight after ``last``)."""
        if last < first:
            raise ValueError(f"range ends ({last}) before it starts ({first})")
        label = f"từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"
        return cls._closed(
            PeriodKind.RANGE, _midnight(first), _midnight(last) + timedelta(days=1), label, now
        )

    @classmethod
    def live(cls, start: date, now: datetime) -> Period:
        """A live period from the first day of a month until ``now``.

        Starting on 1 January it is year to date, and ``now`` may be anywhere in that year;
        otherwise it is month to date and ``now`` must be in that month.
        """
        begin = _midnight(start)
        limit = _month_start(start.year, 13 if start.month == 1 else start.month + 1)
        if start.day != 1 or not begin <= now < limit:
            raise ValueError(f"no live period from {begin} to {now}")
        return cls(PeriodKind.LIVE, begin, now, now, f"từ {start:%d/%m/%Y} đến nay")

    # -- derived ------------------------------------------------------------------------

    @property
    def code(self) -> str:
        """Stable ASCII code, read back by :func:`parse_period` (live ones need the same now).

        Examples:
            >>> Period.of_half(2024, 2).code
            '2024-H2'
            >>> Period.of_range(date(2024, 1, 1), date(2024, 3, 31)).code
            '2024-01-01..2024-03-31'
        """
        s = self.start
        match self.kind:
            case PeriodKind.MONTH:
                return f"{s.year:04d}-{s.month:02d}"
            case PeriodKind.QUARTER:
                return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
            case PeriodKind.HALF:
                return f"{s.year:04d}-H{(s.month - 1) // 6 + 1}"
            case PeriodKind.YEAR:
                return f"{s.year:04d}"
            case PeriodKind.RANGE:
                last = (self.end - timedelta(days=1)).date()
                return f"{s.date().isoformat()}..{last.isoformat()}"
            case PeriodKind.LIVE:
                if s.month == 1 and (s.year, 1) != (self.end.year, self.end.month):
                    return f"ytd:{s.year:04d}"
                return f"live:{s.year:04d}-{s.month:02d}"
            case _:
                assert_never(self.kind)

    @property
    def shown(self) -> str:
        """The period as pages and tables write it: ``tháng 10/2026``, ``quý III/2026``,
        ``6 tháng đầu năm 2026``, ``năm 2026``; ranges and live periods as :attr:`label`.

        :attr:`label` stays the wording of the reports ("tháng 10 năm 2026").

        Examples:
            >>> [Period.of_month(2026, 10).shown, Period.of_quarter(2026, 3).shown]
            ['tháng 10/2026', 'quý III/2026']
            >>> Period.of_half(2026, 1).shown, Period.of_year(2026).shown
            ('6 tháng đầu năm 2026', 'năm 2026')
        """
        s = self.start
        match self.kind:
            case PeriodKind.MONTH:
                return f"tháng {s.month}/{s.year}"
            case PeriodKind.QUARTER:
                return f"quý {_ROMAN[(s.month - 1) // 3]}/{s.year}"
            case _:
                return self.label

    @property
    def last_day(self) -> date:
        """The last calendar day the period covers (its end is exclusive).

        Examples:
            >>> Period.of_month(2026, 2).last_day
            datetime.date(2026, 2, 28)
        """
        return (self.end - timedelta(microseconds=1)).date()

    def contains(self, ts: datetime) -> bool:
        """Whether ``ts`` (naive local time) is in ``[start, end)``."""
        return self.start <= ts < self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one.

        A range gives the range of the same number of days ending where this one starts; a
        live period gives the closed period before it (the previous month for month-to-date,
        the previous year for year-to-date).

        Examples:
            >>> Period.of_month(2024, 1).previous().label
            'tháng 12 năm 2023'
        """
        s = self.start
        match self.kind:
            case PeriodKind.MONTH:
                return _month_before(s)
            case PeriodKind.QUARTER:
                q = (s.month - 1) // 3 + 1
                return (
                    Period.of_quarter(s.year, q - 1) if q > 1 else Period.of_quarter(s.year - 1, 4)
                )
            case PeriodKind.HALF:
                return Period.of_half(s.year, 1) if s.month > 6 else Period.of_half(s.year - 1, 2)
            case PeriodKind.YEAR:
                return Period.of_year(s.year - 1)
            case PeriodKind.RANGE:
                days = (self.end - s).days
                first = s.date() - timedelta(days=days)
                return Period.of_range(first, s.date() - timedelta(days=1))
            case PeriodKind.LIVE:
                if self.code.startswith("ytd:"):
                    return Period.of_year(s.year - 1)
                return _month_before(s)
            case _:
                assert_never(self.kind)


def _month_before(start: datetime) -> Period:
    if start.month == 1:
        return Period.of_month(start.year - 1, 12)
    return Period.of_month(start.year, start.month - 1)


def months_of(year: int, *, now: datetime | None = None) -> list[Period]:
    """The twelve months of ``year``, in order.

    Examples:
        >>> [p.code for p in months_of(2024)][:2]
        ['2024-01', '2024-02']
    """
    return [Period.of_month(year, m, now=now) for m in range(1, 13)]


# Each regex reads one accepted form; groups are the numbers.
_MONTH_ISO = re.compile(r"(\d{4})-(\d{1,2})")  # 2024-11
_MONTH_VN = re.compile(r"(\d{1,2})/(\d{4})")  # 11/2024
_QUARTER = re.compile(r"(\d{4})-q([1-4])")  # 2024-Q4
_HALF = re.compile(r"(\d{4})-h([12])")  # 2024-H1
_YEAR = re.compile(r"(\d{4})")  # 2024
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})")  # 2024-01-01..2024-03-31
_LIVE = re.compile(r"(?:live|ytd)(?::(\d{4})(?:-(\d{1,2}))?)?")  # live, live:2026-11, ytd:2026


def _error(text: str, problem: str | None = None) -> PeriodError:
    """``problem`` is already translated; none: the text is not a period at all."""
    return PeriodError(
        _("{text!r} {problem}").format(text=text, problem=problem or _("is not a report period")),
        hint=_("write one of the forms: {forms}").format(forms=_(ACCEPTED_FORMS)),
    )


def _year(text: str, value: str) -> int:
    year = int(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _error(
            text, _("has a year outside {first}–{last}").format(first=MIN_YEAR, last=MAX_YEAR)
        )
    return year


def _month(text: str, value: str) -> int:
    month = int(value)
    if not 1 <= month <= 12:
        raise _error(text, _("has a month outside 1–12"))
    return month


def _parse_live(text: str, match: re.Match[str], now: datetime) -> Period:
    if match[1] is None:
        first_month = 1 if text.startswith("ytd") else now.month
        return Period.live(date(now.year, first_month, 1), now)
    year = _year(text, match[1])
    if match[2] is None:
        start, whole = date(year, 1, 1), Period.of_year(year, now=now)
    elif text.startswith("ytd"):
        raise _error(text, _("cannot combine ytd with a month"))
    else:
        start = date(year, _month(text, match[2]), 1)
        whole = Period.of_month(year, start.month, now=now)
    if now < _midnight(start):
        raise _error(
            text, _("starts after the current time ({now:%d/%m/%Y %H:%M})").format(now=now)
        )
    # Once the month/year is over, "to date" is simply the whole closed period.
    return whole if now >= whole.end else Period.live(start, now)


def parse_period(text: str, *, now: datetime | None = None) -> Period:
    """Read a period written by a user (case and surrounding spaces are ignored).

    ``now`` (naive Vietnam local time, default :func:`chiso.domain.clock.now`: ``CHISO_NOW``
    or the current time) ends live periods and caps ``as_of`` of a period still running.

    Raises:
        PeriodError: the text is not one of :data:`ACCEPTED_FORMS`; the message names it.

    Examples:
        >>> parse_period("11/2024").label
        'tháng 11 năm 2024'
        >>> p = parse_period("live", now=datetime(2026, 11, 5, 9, 0))
        >>> p.label, p.as_of
        ('từ 01/11/2026 đến nay', datetime.datetime(2026, 11, 5, 9, 0))
    """
    now = clock.now(now)
    cleaned = text.strip().lower()
    if (m := _MONTH_ISO.fullmatch(cleaned)) or (m := _MONTH_VN.fullmatch(cleaned)):
        year_s, month_s = (m[1], m[2]) if m.re is _MONTH_ISO else (m[2], m[1])
        return Period.of_month(_year(text, year_s), _month(text, month_s), now=now)
    if m := _QUARTER.fullmatch(cleaned):
        return Period.of_quarter(_year(text, m[1]), int(m[2]), now=now)
    if m := _HALF.fullmatch(cleaned):
        return Period.of_half(_year(text, m[1]), int(m[2]), now=now)
    if m := _YEAR.fullmatch(cleaned):
        return Period.of_year(_year(text, m[1]), now=now)
    if m := _RANGE.fullmatch(cleaned):
        try:
            first, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            raise _error(text, _("has a day that does not exist")) from None
        if last < first:
            raise _error(text, _("has an end day before its start day"))
        for value in (m[1], m[2]):
            _year(text, value[:4])
        return Period.of_range(first, last, now=now)
    if m := _LIVE.fullmatch(cleaned):
        return _parse_live(cleaned, m, now)
    raise _error(text)


def choices(now: datetime, *, years: int = 3) -> list[tuple[int, list[Period]]]:
    """The periods a picker offers, by year, newest first: the months that have begun
    (latest first), then the quarters, halves and the year itself that have begun.

    Examples:
        >>> [(y, [p.code for p in ps][:3]) for y, ps in choices(datetime(2026, 2, 5), years=1)]
        [(2026, ['2026-02', '2026-01', '2026-Q1'])]
    """
    out: list[tuple[int, list[Period]]] = []
    for year in range(now.year, now.year - years, -1):
        found = [Period.of_month(year, m, now=now) for m in range(12, 0, -1)]
        found += [Period.of_quarter(year, q, now=now) for q in range(4, 0, -1)]
        found += [Period.of_half(year, h, now=now) for h in (2, 1)]
        found.append(Period.of_year(year, now=now))
        out.append((year, [p for p in found if p.start < now]))
    return out


def shown(code: str, *, now: datetime | None = None) -> str:
    """A period code (``2026-09``, ``2026-Q3``) as people read it (:attr:`Period.shown`);
    text that is not a period comes back as it is, an empty one as ``""``.

    Examples:
        >>> shown("2026-09"), shown("2026-Q3"), shown("2026-H1"), shown("")
        ('tháng 9/2026', 'quý III/2026', '6 tháng đầu năm 2026', '')
    """
    if not code:
        return ""
    try:
        return parse_period(code, now=now).shown
    except (PeriodError, ValueError):
        return code


def require_started(period: Period, now: datetime) -> Period:
    """``period`` when it has begun by ``now``; a period wholly in the future has no data.

    A month still running is kept (it is judged at ``now``: ``as_of``); scoring a month
    that has not begun would give every unit the scores of an empty month.

    Raises:
        NotStartedError: ``period`` starts at or after ``now``; the message says so.

    Examples:
        >>> require_started(Period.of_month(2026, 10), datetime(2026, 10, 29, 9, 0)).code
        '2026-10'
        >>> require_started(Period.of_month(2026, 12), datetime(2026, 10, 29, 9, 0))
        Traceback (most recent call last):
        chiso.domain.periods.NotStartedError: tháng 12 năm 2026 chưa có dữ liệu: kỳ bắt đầu ...
    """
    if period.start < now:
        return period
    current = f"{now.year:04d}-{now.month:02d}"
    raise NotStartedError(
        _(
            "{period} has no data yet: the period starts on {start:%d/%m/%Y}, "
            "after the current time {now}"
        ).format(period=period.label, start=period.start, now=clock.shown(now)),
        hint=_(
            "choose a period that has started, e.g. {current}; or set the current time "
            "with --as-of / CHISO_NOW"
        ).format(current=current),
    )
