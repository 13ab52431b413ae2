"""Where a dossier (or a petition) stands against its due time at an instant.

The index judges a record at its period's ``as_of`` (the period end, or now for a live
period): finished by then on or before the due time is on time, after it late; not
finished by then is in progress while the due time is ahead and overdue once it has
passed; more than one supplement request makes a dossier late whatever its times (766
rule, R11) — the ``on_time`` definition of the shipped index sets, read out for people.

How late is counted in working days of the holiday calendar, from the due day to the day
the record was finished (or, unfinished, to the ``as_of`` day), as
:meth:`~chiso.domain.calendar.HolidayCalendar.working_days_between` counts them (the "sắp
quá hạn" list counts the days left the same way); a record late by hours on its due day,
or finished late on a day off, is late by 1.

Examples:
    >>> from datetime import datetime as t
    >>> from chiso.domain.calendar import HolidayCalendar
    >>> cal = HolidayCalendar.default()
    >>> progress(t(2026, 3, 2, 8), t(2026, 3, 9, 10), as_of=t(2026, 4, 1), calendar=cal)
    Progress(code='late', late_working_days=5)
    >>> progress(t(2026, 3, 26, 17), None, as_of=t(2026, 4, 1), calendar=cal)
    Progress(code='overdue', late_working_days=3)
    >>> progress(t(2026, 4, 3, 17), None, as_of=t(2026, 4, 1), calendar=cal).code
    'in_progress'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

__all__ = ["Progress", "ProgressCode", "WorkingDays", "progress"]

_INSTANT = timedelta(microseconds=1)


class ProgressCode(StrEnum):
    """A record's state against its due time (labels: :data:`chiso.domain.labels.PROGRESS`)."""

    ON_TIME = "on_time"
    LATE = "late"
    SUPPLEMENTS = "supplements"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"


class WorkingDays(Protocol):
    """What :func:`progress` needs of a calendar
    (:class:`~chiso.domain.calendar.HolidayCalendar` has it)."""

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``."""
        ...


@dataclass(frozen=True)
class Progress:
    """The state and, when late by its times, by how many working days (else None)."""

    code: str
    late_working_days: int | None


def progress(
    due_at: datetime | None,
    finished_at: datetime | None,
    *,
    as_of: datetime,
    calendar: WorkingDays,
    supplement_count: int | None = None,
) -> Progress:
    """The state of a record due at ``due_at`` and finished at ``finished_at`` (None: not
    yet), judged at ``as_of``; see the module docstring.

    A finish after ``as_of`` is not yet a finish (the period is judged as it stood then).
    """
    done = finished_at is not None and finished_at < as_of
    end = finished_at if done and finished_at is not None else as_of
    late = due_at is not None and (end > due_at if done else due_at < as_of)
    days = None
    if late and due_at is not None:
        # unfinished: up to the last day begun before as_of (a period ending at midnight
        # is judged at the end of its last day)
        last = end.date() if done else (as_of - _INSTANT).date()
        days = max(1, calendar.working_days_between(due_at.date(), last))
    if late:
        code = ProgressCode.LATE if done else ProgressCode.OVERDUE
    elif (supplement_count or 0) > 1:
        code = ProgressCode.SUPPLEMENTS
    else:
        code = ProgressCode.ON_TIME if done else ProgressCode.IN_PROGRESS
    return Progress(code.value, days)
