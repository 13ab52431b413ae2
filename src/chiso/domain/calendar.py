"""Working-day calendar of Vietnamese state agencies and deadline arithmetic.

A :class:`HolidayCalendar` knows, for every date, whether agencies work: Saturday and Sunday
are days off, so are the holidays of Bộ luật Lao động 2019 (Điều 112) with a compensatory day
(nghỉ bù) when one falls on a weekend day, and so are the days of each year's officially
announced schedule (Tết and Quốc khánh as chosen by the Prime Minister, swapped days off);
make-up Saturdays (làm bù) are working days.  The rules live in a YAML file that a province
can edit (``chiso/data/calendar/vn_holidays.yaml``; format documented in that file).

Deadlines of dossiers count working days (domain.md §1.2, §3.5): :meth:`HolidayCalendar.due_at`
turns an intake timestamp and a time limit into the due instant.  All datetimes are naive
Vietnam local time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources

from chiso.domain.holiday_rules import (
    CalendarFileError,
    CalendarRules,
    DayKind,
    build_year,
    read_rules,
)
from chiso.i18n import _

__all__ = ["CalendarFileError", "DayKind", "HolidayCalendar"]

MIN_YEAR = 1900
MAX_YEAR = 2199
_DAY = timedelta(days=1)
_DEFAULT_RESOURCE = "data/calendar/vn_holidays.yaml"
_NON_WORKING = frozenset({DayKind.WEEKEND, DayKind.HOLIDAY, DayKind.COMPENSATORY, DayKind.DAY_OFF})


@dataclass(frozen=True)
class HolidayCalendar:
    """An immutable working-day calendar built from :class:`CalendarRules`.

    Years are expanded lazily and memoised; the years that have an explicit schedule in the
    file are expanded at construction so that a bad entry fails early.

    Examples:
        >>> cal = HolidayCalendar.default()
        >>> cal.is_working_day(date(2024, 2, 8)), cal.holiday_name(date(2024, 2, 8))
        (False, 'Tết Nguyên đán')
        >>> cal.add_working_days(date(2024, 2, 7), 1)
        datetime.date(2024, 2, 15)
    """

    rules: CalendarRules
    _years: dict[int, dict[date, tuple[DayKind, str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        """Expand the years the file lists explicitly, so that a bad entry fails early."""
        if len(self.rules.weekend) >= 7:
            raise ValueError("a calendar needs at least one day of the week that is not weekend")
        for schedule in self.rules.years:
            for year in (schedule.year - 1, schedule.year, schedule.year + 1):
                if MIN_YEAR <= year <= MAX_YEAR:
                    self._special(year)

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str, *, source: str = "<calendar>") -> HolidayCalendar:
        """Build a calendar from the text of a calendar file (``source`` names it in errors)."""
        return cls(read_rules(text, source=source))

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> HolidayCalendar:
        """Load a calendar file.

        Raises:
            CalendarFileError: the file cannot be read or has a bad entry (file:line + hint).
        """
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CalendarFileError(
                _("cannot read the calendar file “{fspath}”: {exc}").format(
                    fspath=os.fspath(path), exc=exc
                ),
                hint=_("check the path; the file must be UTF-8 YAML"),
            ) from exc
        return cls.from_text(text, source=os.fspath(path))

    @classmethod
    def default(cls) -> HolidayCalendar:
        """The shipped national calendar (``vn_holidays.yaml``), loaded once."""
        return _default_calendar()

    # -- single days --------------------------------------------------------------------

    def _special(self, year: int) -> dict[date, tuple[DayKind, str]]:
        table = self._years.get(year)
        if table is None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise ValueError(f"year {year} is outside the calendar ({MIN_YEAR}–{MAX_YEAR})")
            table = build_year(self.rules, year)
            self._years[year] = table
        return table

    def day_kind(self, d: date) -> DayKind:
        """Classify a date: working, make-up working day, weekend, holiday, nghỉ bù, day off."""
        entry = self._special(d.year).get(d)
        if entry is not None:
            return entry[0]
        return DayKind.WEEKEND if d.weekday() in self.rules.weekend else DayKind.WORKING

    def is_working_day(self, d: date) -> bool:
        """Whether state agencies work on ``d`` (make-up Saturdays included)."""
        return self.day_kind(d) not in _NON_WORKING

    def holiday_name(self, d: date) -> str | None:
        """Vietnamese label of a holiday, nghỉ bù or one-off day off; None for other days.

        Examples:
            >>> HolidayCalendar.default().holiday_name(date(2026, 4, 27))
            'Nghỉ bù Giỗ Tổ Hùng Vương'
        """
        entry = self._special(d.year).get(d)
        if entry is None or entry[0] is DayKind.MAKE_UP:
            return None
        return entry[1]

    def special_days(self, year: int) -> list[tuple[date, DayKind, str]]:
        """Every holiday, nghỉ bù, day off and make-up day of ``year``, in date order."""
        return sorted((d, kind, name) for d, (kind, name) in self._special(year).items())

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += _DAY
        while not self.is_working_day(d):
            d += _DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        d -= _DAY
        while not self.is_working_day(d):
            d -= _DAY
        return d

    # -- arithmetic ---------------------------------------------------------------------

    def add_working_days(self, d: date, n: int) -> date:
        """The date ``n`` working days after ``d``, counting from the next working day.

        ``n = 0`` gives ``d`` if it is a working day, else the next working day.  A negative
        ``n`` counts backwards: the ``|n|``-th working day strictly before ``d``.

        Examples:
            >>> cal = HolidayCalendar.default()
            >>> cal.add_working_days(date(2025, 4, 25), 1)  # Saturday 26/4/2025 is làm bù
            datetime.date(2025, 4, 26)
            >>> cal.add_working_days(date(2025, 5, 5), -1)
            datetime.date(2025, 4, 29)
        """
        if n == 0:
            return d if self.is_working_day(d) else self.next_working_day(d)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _step in range(abs(n)):
            d = step(d)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Number of working days in ``(a, b]``; negative (minus those in ``(b, a]``) if b < a.

        Examples:
            >>> HolidayCalendar.default().working_days_between(date(2025, 1, 24), date(2025, 2, 3))
            1
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + i * _DAY))

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days from ``start`` to ``end``, both included."""
        days = (start + i * _DAY for i in range((end - start).days + 1))
        return [d for d in days if self.is_working_day(d)]

    def table(self, start: date, end: date) -> list[tuple[date, bool, int]]:
        """Rows ``(date, is_working, index)`` from ``start`` to ``end`` inclusive, for SQL joins.

        ``index`` counts the working days in ``[start, date]``, so for two dates of the table
        ``index(b) − index(a)`` equals :meth:`working_days_between` and the due date of a
        dossier is the first working row whose index is ``index(intake) + days``.

        Examples:
            >>> HolidayCalendar.default().table(date(2024, 4, 26), date(2024, 4, 29))[-1]
            (datetime.date(2024, 4, 29), False, 1)
        """
        rows: list[tuple[date, bool, int]] = []
        index = 0
        for i in range((end - start).days + 1):
            d = start + i * _DAY
            working = self.is_working_day(d)
            index += working
            rows.append((d, working, index))
        return rows

    def due_at(
        self,
        received_at: datetime,
        days: int,
        *,
        cutoff_hour: int = 15,
        closing_time: time = time(17, 0),
    ) -> datetime:
        """The due instant of a dossier received at ``received_at`` with ``days`` working days.

        Rule (each part a parameter, none hidden):

        1. The intake day is the date of ``received_at`` if that is a working day and the time
           is before ``cutoff_hour`` (default 15:00, the afternoon cut-off used by one-stop
           desks: "tiếp nhận sau 15 giờ thì tính vào ngày làm việc tiếp theo"); otherwise it is
           the next working day.
        2. The due date is ``days`` working days after the intake day, counting from the next
           working day (:meth:`add_working_days`); ``days = 0`` means the intake day itself.
        3. The due instant is ``closing_time`` (default 17:00) local time on the due date.

        Raises:
            ValueError: negative ``days``, a cut-off outside 0–24, or an aware datetime.

        Examples:
            >>> cal = HolidayCalendar.default()
            >>> cal.due_at(datetime(2024, 2, 7, 9, 30), 1)
            datetime.datetime(2024, 2, 15, 17, 0)
            >>> cal.due_at(datetime(2024, 2, 6, 16, 0), 1)  # after 15:00: counts from 7/2
            datetime.datetime(2024, 2, 15, 17, 0)
        """
        if days < 0:
            raise ValueError(f"a time limit cannot be negative ({days} days)")
        if not 0 <= cutoff_hour <= 24:
            raise ValueError(f"cutoff_hour must be 0–24, got {cutoff_hour}")
        if received_at.tzinfo is not None:
            raise ValueError("received_at must be naive Vietnam local time (UTC+7)")
        intake = received_at.date()
        if not self.is_working_day(intake) or received_at.hour >= cutoff_hour:
            intake = self.next_working_day(intake)
        return datetime.combine(self.add_working_days(intake, days), closing_time)


@cache
def _default_calendar() -> HolidayCalendar:
    text = resources.files("chiso").joinpath(_DEFAULT_RESOURCE).read_text(encoding="utf-8")
    return HolidayCalendar.from_text(text, source=f"chiso/{_DEFAULT_RESOURCE}")
