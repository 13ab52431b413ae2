"""The one clock of chiso: what "now" is for the CLI, the site and the library.

"Now" decides which part of a period has happened: a live period ends at it, a month
still running is judged at it (``Period.as_of``), a period that starts after it has no
data yet.  It is, first found:

1. an explicit instant (``chiso score --as-of 2026-10-29T09:00``, the site's parsed
   ``CHISO_NOW`` setting);
2. the ``CHISO_NOW`` environment variable (demos and tests fix the clock with it);
3. the real Vietnam local time, to the whole minute (scores are cached per period end,
   so an exact clock would make every request a new period).

Instants are naive Vietnam local time, like every timestamp of the data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from chiso.errors import UserError
from chiso.i18n import _

__all__ = [
    "CLOCK_VARIABLE",
    "DEMO_NOW",
    "VIETNAM_TZ",
    "ClockError",
    "now",
    "now_local",
    "parse_instant",
    "shown",
]

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
#: The environment variable that fixes the clock.
CLOCK_VARIABLE = "CHISO_NOW"
#: The demo's clock (``chiso demo``, ``make demo``): its data ends here and the site runs
#: at it, so October 2026 is the month in progress.
DEMO_NOW = datetime(2026, 10, 29, 9, 0)


class ClockError(UserError):
    """An instant that cannot be read (``--as-of``, ``CHISO_NOW``)."""


def now_local() -> datetime:
    """The real current naive Vietnam local time (UTC+7)."""
    return datetime.now(VIETNAM_TZ).replace(tzinfo=None)


def parse_instant(text: str, *, name: str = CLOCK_VARIABLE) -> datetime:
    """Read an ISO local instant (``2026-10-29T09:00``, ``2026-10-29 09:00`` or a date).

    A zone, when written, is converted to Vietnam time and dropped.

    Raises:
        ClockError: the text is not an ISO date or date-time; the message names ``name``.

    Examples:
        >>> parse_instant("2026-10-29T09:00")
        datetime.datetime(2026, 10, 29, 9, 0)
        >>> parse_instant("2026-10-29T02:00Z")
        datetime.datetime(2026, 10, 29, 9, 0)
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(
            _("{name}={text!r} is not an ISO date and time").format(name=name, text=text),
            hint=_("write it like 2026-10-29T09:00 (Vietnam time) or 2026-10-29"),
        ) from None
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM_TZ).replace(tzinfo=None)
    return value


def now(as_of: datetime | None = None, *, environ: Mapping[str, str] | None = None) -> datetime:
    """The clock: ``as_of`` when given, else ``CHISO_NOW``, else the real time to the minute.

    Raises:
        ClockError: ``CHISO_NOW`` is set to something that is not an ISO instant.

    Examples:
        >>> now(datetime(2026, 10, 29, 9, 0))
        datetime.datetime(2026, 10, 29, 9, 0)
        >>> now(environ={"CHISO_NOW": "2026-11-05T08:30"})
        datetime.datetime(2026, 11, 5, 8, 30)
    """
    if as_of is not None:
        return as_of
    fixed = (os.environ if environ is None else environ).get(CLOCK_VARIABLE, "").strip()
    if fixed:
        return parse_instant(fixed)
    return now_local().replace(second=0, microsecond=0)


def shown(instant: datetime) -> str:
    """An instant as the pages and reports write it: ``29/10/2026 09:00``.

    Examples:
        >>> shown(DEMO_NOW)
        '29/10/2026 09:00'
    """
    return f"{instant:%d/%m/%Y %H:%M}"
