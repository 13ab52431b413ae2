"""Working days inside formulas: ``working_days(a, b)`` through a calendar table join.

Weekday functions number days differently on each engine (ecosystem.md), so the engine never
calls them.  The holiday calendar is laid out once as a table of days 2000–2099 with a
running *index* (working days from the first day up to that day, inclusive); every record
date a formula passes to ``working_days`` gets its day's index by a left join, and every
period variable its index computed here in Python from the same table.  Then
``working_days(a, b) = index(b) − index(a)``: the working days in ``(a, b]``, as
:meth:`~chiso.domain.calendar.HolidayCalendar.working_days_between`.  A date outside the
table has no index: the result is null (a condition on it counts as false).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from chiso.compile.compiler import column_name, working_day_index
from chiso.domain.calendar import HolidayCalendar

__all__ = ["FIRST_DAY", "LAST_DAY", "day_index", "with_day_indexes"]

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


@cache
def _indexes() -> dict[date, int]:
    rows = HolidayCalendar.default().table(FIRST_DAY, LAST_DAY)
    return {day: index for day, _, index in rows}


def _calendar() -> pa.Table:
    indexes = _indexes()
    return pa.table(
        {"wd_day": pa.array(list(indexes), pa.date32()), "wd_index": list(indexes.values())}
    )


def day_index(value: date | datetime | None) -> int | None:
    """The calendar index of ``value``'s day (None outside 2000–2099 or for None)."""
    if value is None:
        return None
    return _indexes().get(value.date() if isinstance(value, datetime) else value)


def with_day_indexes(table: ir.Table, names: Iterable[str]) -> ir.Table:
    """``table`` with the index of each named date or timestamp column's day (a left join)."""
    calendar = ibis.memtable(_calendar())
    for name in sorted(set(names)):
        column = table[column_name(name)]
        day = column.date() if column.type().is_timestamp() else column
        lookup = calendar.select(
            _wd_day=calendar.wd_day, **{working_day_index(name): calendar.wd_index}
        )
        table = table.left_join(lookup, day == lookup._wd_day).drop("_wd_day")
    return table
