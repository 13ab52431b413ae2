"""Days of the generated period as arrays, for vectorised timestamps.

Every working-day fact comes from :class:`chiso.domain.calendar.HolidayCalendar`: the
day table is :meth:`HolidayCalendar.table` and due instants are
:meth:`HolidayCalendar.due_at`, tabulated once per (intake day, before/after the cut-off
hour, time limit) so that millions of dossiers can look them up with numpy.

Timestamps inside the generator are ``int64`` seconds since 1970-01-01 00:00 *local*
time (naive), so ``t // 86400`` is the local day and ``t % 86400`` the time of day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from numpy.typing import NDArray

from chiso.domain.calendar import HolidayCalendar

__all__ = ["CUTOFF_HOUR", "DAY", "Timeline", "epoch_seconds", "horizon"]

DAY = 86_400
#: Intake after this hour counts from the next working day (``HolidayCalendar.due_at``).
CUTOFF_HOUR = 15
#: Calendar days kept after ``end`` for due dates, late finishes and returns.
_TAIL_DAYS = 160
_EPOCH = date(1970, 1, 1)
#: Relative intake volume by weekday (Monday first) and by month (January first).
_WEEKDAY_WEIGHT = (1.15, 1.05, 1.0, 1.0, 0.9, 0.7, 0.6)
_MONTH_WEIGHT = (1.1, 0.85, 1.0, 1.0, 1.0, 1.05, 1.05, 1.1, 1.0, 1.0, 1.0, 1.1)
#: Intake on days off (online only) relative to a working day.
_DAY_OFF_WEIGHT = 0.04

Int64s = NDArray[np.int64]


def epoch_seconds(d: date) -> int:
    """Seconds from 1970-01-01 00:00 to midnight of ``d`` (naive local time)."""
    return (d - _EPOCH).days * DAY


def horizon(end: date) -> tuple[date, datetime]:
    """The days a generation covers (``end`` excluded) and the instant its events stop at.

    ``end`` is a day (events stop at its midnight) or an instant (the data as it stands
    then: its day is covered, and nothing happens at or after the instant).

    Examples:
        >>> horizon(date(2026, 11, 1))
        (datetime.date(2026, 11, 1), datetime.datetime(2026, 11, 1, 0, 0))
        >>> horizon(datetime(2026, 10, 29, 9, 0))
        (datetime.date(2026, 10, 30), datetime.datetime(2026, 10, 29, 9, 0))
    """
    if not isinstance(end, datetime):
        return end, datetime.combine(end, time())
    stop = end.replace(tzinfo=None)
    days = stop.date() + timedelta(days=1) if stop.time() != time() else stop.date()
    return days, stop


@dataclass(frozen=True)
class Timeline:
    """The days from ``start`` to ``end`` (excluded) plus a tail, as numpy arrays.

    Arrays named ``ext_*`` cover ``[start, end + tail)``; index ``i`` is day
    ``start + i``. ``workdays`` lists the indices of working days in order.  ``stop`` is
    the instant events stop at (midnight of ``end``, or earlier on the last day).
    """

    start: date
    end: date
    stop: datetime
    calendar: HolidayCalendar
    ext_working: NDArray[np.bool_]
    ext_work_ordinal: Int64s
    workdays: Int64s
    ext_next_on_or_after: Int64s
    ext_next_after: Int64s

    @classmethod
    def build(
        cls, start: date, end: date, calendar: HolidayCalendar, *, stop: datetime | None = None
    ) -> Timeline:
        """Tabulate the calendar from ``start`` to ``end`` plus the tail; events stop at
        ``stop`` (default: midnight of ``end``)."""
        stop = datetime.combine(end, time()) if stop is None else stop
        rows = calendar.table(start, end + timedelta(days=_TAIL_DAYS - 1))
        working = np.fromiter((w for _, w, _ in rows), dtype=np.bool_, count=len(rows))
        ordinal = np.fromiter((k for _, _, k in rows), dtype=np.int64, count=len(rows))
        workdays = np.flatnonzero(working).astype(np.int64)
        last = len(workdays) - 1
        days = np.arange(len(rows))
        on_or_after = workdays[np.minimum(np.searchsorted(workdays, days, side="left"), last)]
        after = workdays[np.minimum(np.searchsorted(workdays, days, side="right"), last)]
        return cls(start, end, stop, calendar, working, ordinal, workdays, on_or_after, after)

    @property
    def n_days(self) -> int:
        """Number of days in ``[start, end)``."""
        return (self.end - self.start).days

    @property
    def stop_seconds(self) -> int:
        """Epoch seconds of ``stop``: events at or after it have not happened."""
        return epoch_seconds(self.stop.date()) + _seconds(self.stop.time())

    @property
    def origin(self) -> int:
        """Epoch seconds of ``start`` (index 0 of every array)."""
        return epoch_seconds(self.start)

    def dates(self) -> list[date]:
        """The dates of ``[start, end)``."""
        return [self.start + timedelta(days=i) for i in range(self.n_days)]

    def day_weights(self) -> NDArray[np.float64]:
        """Relative intake volume of each day of ``[start, end)``."""
        days = self.dates()
        weekday = np.array([_WEEKDAY_WEIGHT[d.weekday()] for d in days])
        month = np.array([_MONTH_WEIGHT[d.month - 1] for d in days])
        working = self.ext_working[: self.n_days]
        return np.where(working, weekday * month, _DAY_OFF_WEIGHT)

    def day_index(self, seconds: Int64s) -> Int64s:
        """Day index (into the ``ext_*`` arrays) of epoch-second timestamps, clipped."""
        days = (seconds - self.origin) // DAY
        return np.clip(days, 0, len(self.ext_working) - 1)

    def next_working(self, days: Int64s, *, strictly_after: bool) -> Int64s:
        """Index of the first working day on or (``strictly_after``) after each day."""
        table = self.ext_next_after if strictly_after else self.ext_next_on_or_after
        return table[days]

    def working_days_later(self, days: Int64s, k: Int64s) -> Int64s:
        """Index of the ``k``-th working day after each (working) day."""
        pos = self.ext_work_ordinal[days] - 1 + k
        picked = self.workdays[np.clip(pos, 0, len(self.workdays) - 1)]
        return np.asarray(picked, dtype=np.int64)

    def due_table(self, limits: list[int]) -> Int64s:
        """Due instants (epoch seconds) by intake day, after-cut-off flag and time limit.

        Entry ``[d, a, j]`` is ``calendar.due_at(received_at, limits[j])`` for a dossier
        received on day ``d`` of ``[start, end)`` before (``a = 0``) or from (``a = 1``)
        :data:`CUTOFF_HOUR`; ``due_at`` depends on the time of day only through that
        flag.
        """
        table = np.empty((self.n_days, 2, len(limits)), dtype=np.int64)
        for d, day in enumerate(self.dates()):
            for after, hour in ((0, CUTOFF_HOUR - 1), (1, CUTOFF_HOUR)):
                received = datetime.combine(day, time(hour))
                for j, limit in enumerate(limits):
                    due = self.calendar.due_at(received, limit, cutoff_hour=CUTOFF_HOUR)
                    table[d, after, j] = epoch_seconds(due.date()) + _seconds(due.time())
        return table


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second
