"""One Ibis query per rule over the canonical tables (DuckDB, PostgreSQL).

Each query returns the flagged records as rows ``unit_code, dossier_code, rated_at``
(``rated_at`` null for dossier rules) plus, for ``due_rush``, the unit's ``share`` and
the province's ``province_share``.  A record belongs to a period by the event the rule
looks at: finishing (``same_minute``, ``due_rush``), rating (the rating rules), receipt or
finishing (``out_of_order``), receipt (the others).

Working days and weekdays come from the holiday calendar laid out as a small table joined
by day (as :mod:`chiso.engine.workdays` does): no engine's weekday function is called.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from chiso.anomalies.rules import Rule
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.records import DossierStatus
from chiso.storage.store import Store

__all__ = ["QUERIES", "calendar_table", "flagged"]

_FIRST, _LAST = date(2000, 1, 1), date(2099, 12, 31)
_NOT_DECIDED = (DossierStatus.REJECTED.value, DossierStatus.WITHDRAWN.value)
Query = Callable[[Store, Rule, datetime, datetime, HolidayCalendar], ir.Table]


@functools.lru_cache(maxsize=8)
def _calendar_arrow(calendar: HolidayCalendar) -> pa.Table:
    """The calendar's days as an Arrow table (once per calendar content)."""
    rows = calendar.table(_FIRST, _LAST)
    days = [d for d, _, _ in rows]
    table = pa.table(
        {
            "c_day": pa.array(days, pa.date32()),
            "c_ordinal": pa.array([(d - _FIRST).days for d in days], pa.int64()),
            "c_index": pa.array([k for _, _, k in rows], pa.int64()),
            "c_working": pa.array([w for _, w, _ in rows], pa.bool_()),
            "c_yymmdd": pa.array([d.strftime("%y%m%d") for d in days], pa.string()),
        }
    )
    return table


def calendar_table(calendar: HolidayCalendar, prefix: str) -> ir.Table:
    """The days 2000–2099 with ordinal, working-day index, working flag and ``YYMMDD``;
    columns renamed ``c_*`` → ``{prefix}_*`` so that one query can join it twice."""
    table = ibis.memtable(_calendar_arrow(calendar))
    return table.rename({f"{prefix}_{c[2:]}": c for c in table.columns})


def _within(column: ir.TimestampValue, start: datetime, end: datetime) -> ir.BooleanValue:
    return column.notnull() & (column >= start) & (column < end)


def _secs(column: ir.TimestampValue) -> ir.IntegerValue:
    return column.epoch_seconds()


def _dossier_rows(table: ir.Table) -> ir.Table:
    return table.select("unit_code", "dossier_code", rated_at=ibis.null("timestamp"))


def _decided(t: ir.Table) -> ir.BooleanValue:
    return t.status.isnull() | ~t.status.isin(_NOT_DECIDED)


def same_minute(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Finished less than ``max_minutes`` after receipt, procedure limit ≥ N days."""
    th = rule.thresholds
    t = store.table("dossiers")
    procs = store.table("procedures").select(p_code="procedure_code", p_limit="time_limit_days")
    t = t.filter(_within(t.finished_at, start, end) & _decided(t))
    t = t.join(procs, t.procedure_code == procs.p_code)
    lapse = _secs(t.finished_at) - _secs(t.received_at)
    t = t.filter(
        (lapse >= 0) & (lapse < th.max_minutes * 60) & (t.p_limit >= th.min_time_limit_days)
    )
    return _dossier_rows(t)


def due_rush(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Units with many dossiers finished in the last window before the due time."""
    th = rule.thresholds
    window = th.window_minutes * 60
    t = store.table("dossiers")
    t = t.filter(_within(t.finished_at, start, end) & t.due_at.notnull() & _decided(t))
    lead = _secs(t.due_at) - _secs(t.finished_at)
    t = t.filter(lead >= 0).mutate(
        in_window=(lead < window).ifelse(1, 0),
        before=((lead >= window) & (lead < 2 * window)).ifelse(1, 0),
    )
    per_unit = t.group_by(u_code=t.unit_code).aggregate(
        n=t.count(), w=t.in_window.sum(), b=t.before.sum()
    )
    province = per_unit.aggregate(pn=per_unit.n.sum(), pw=per_unit.w.sum())
    units = per_unit.cross_join(province)
    share = units.w.cast("float64") / units.n.cast("float64")
    province_share = units.pw.cast("float64") / units.pn.cast("float64")
    units = units.mutate(share=share, province_share=province_share)
    units = units.filter(
        (units.w >= th.min_count)
        & (units.share >= th.min_share)
        & (units.share >= th.province_ratio * units.province_share)
        & (units.w >= th.own_ratio * ibis.greatest(units.b, 1))
    )
    rows = t.filter(t.in_window == 1)
    rows = rows.join(units, rows.unit_code == units.u_code)
    return rows.select(
        "unit_code",
        "dossier_code",
        rated_at=ibis.null("timestamp"),
        share="share",
        province_share="province_share",
    )


def due_beyond_limit(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Due date more than the procedure's limit in working days after intake, with no
    supplement request on record."""
    th = rule.thresholds
    t = store.table("dossiers")
    procs = store.table("procedures").select(p_code="procedure_code", p_limit="time_limit_days")
    t = t.filter(
        _within(t.received_at, start, end)
        & t.due_at.notnull()
        & (t.supplement_count.isnull() | (t.supplement_count == 0))
        & (t.status.isnull() | (t.status != DossierStatus.SUPPLEMENT.value))
    )
    t = t.join(procs, (t.procedure_code == procs.p_code) & procs.p_limit.notnull())
    received, due = calendar_table(calendar, "r"), calendar_table(calendar, "d")
    t = t.join(received, t.received_at.date() == received.r_day)
    t = t.join(due, t.due_at.date() == due.d_day)
    late_intake = ~t.r_working | (t.received_at.hour() >= th.cutoff_hour)
    allowed = t.p_limit + late_intake.ifelse(1, 0)
    t = t.filter(t.d_index - t.r_index - allowed >= th.min_extra_days)
    return _dossier_rows(t)


def off_hours_direct(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Direct-channel receipts before opening, after closing or on a day off."""
    th = rule.thresholds
    t = store.table("dossiers")
    t = t.filter(_within(t.received_at, start, end) & (t.channel == "direct"))
    days = calendar_table(calendar, "r")
    t = t.join(days, t.received_at.date() == days.r_day)
    minute = t.received_at.hour() * 60 + t.received_at.minute()
    t = t.filter(~t.r_working | (minute < th.minutes("opens")) | (minute >= th.minutes("closes")))
    return _dossier_rows(t)


#: ``…-YYMMDD-XXXX`` at the end of a code: the provincial UNIT-YYMMDD-NNNNNN and TT 04/2025's
#: MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX.
CODE_DATE = r"-([0-9]{6})-[0-9A-Za-z]+$"


def code_date(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """The code's date more than ``max_days`` calendar days from the receipt."""
    th = rule.thresholds
    t = store.table("dossiers")
    t = t.filter(_within(t.received_at, start, end))
    t = t.mutate(code_day=t.dossier_code.re_extract(CODE_DATE, 1))
    code, received = calendar_table(calendar, "k"), calendar_table(calendar, "r")
    t = t.join(code, t.code_day == code.k_yymmdd)
    t = t.join(received, t.received_at.date() == received.r_day)
    t = t.filter((t.r_ordinal - t.k_ordinal).abs() > th.max_days)
    return _dossier_rows(t)


def _rated(store: Store, start: datetime, end: datetime) -> ir.Table:
    r = store.table("ratings")
    r = r.filter(_within(r.rated_at, start, end))
    d = store.table("dossiers").select(
        d_code="dossier_code", unit_code="unit_code", d_finished="finished_at"
    )
    return r.join(d, r.dossier_code == d.d_code)


def rating_burst(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Every rating inside a run of ``min_ratings`` on one channel of one unit lasting at
    most ``window_minutes``."""
    th = rule.thresholds
    k = th.min_ratings
    r = _rated(store, start, end).mutate(r_secs=lambda x: _secs(x.rated_at))
    order = [r.r_secs, r.dossier_code]
    ahead = ibis.window(group_by=[r.unit_code, r.channel], order_by=order)
    r = r.mutate(span=r.r_secs.lead(k - 1).over(ahead) - r.r_secs)
    r = r.mutate(starts=(r.span.notnull() & (r.span <= th.window_minutes * 60)).ifelse(1, 0))
    behind = ibis.window(
        group_by=[r.unit_code, r.channel],
        order_by=[r.r_secs, r.dossier_code],
        preceding=k - 1,
        following=0,
    )
    r = r.mutate(member=r.starts.max().over(behind))
    r = r.filter(r.member == 1)
    return r.select("unit_code", "dossier_code", "rated_at")


def rating_unfinished(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Ratings of dossiers not finished, or rated before they were finished."""
    r = _rated(store, start, end)
    r = r.filter(r.d_finished.isnull() | (r.rated_at < r.d_finished))
    return r.select("unit_code", "dossier_code", "rated_at")


def out_of_order(
    store: Store, rule: Rule, start: datetime, end: datetime, calendar: HolidayCalendar
) -> ir.Table:
    """Finished or returned before receipt, returned before finishing, due before receipt."""
    t = store.table("dossiers")
    t = t.filter(_within(t.received_at, start, end) | _within(t.finished_at, start, end))
    t = t.filter(
        (t.finished_at < t.received_at).fill_null(False)
        | (t.returned_at < t.received_at).fill_null(False)
        | (t.returned_at < t.finished_at).fill_null(False)
        | (t.due_at < t.received_at).fill_null(False)
    )
    return _dossier_rows(t)


QUERIES: dict[str, Query] = {
    "same_minute": same_minute,
    "due_rush": due_rush,
    "due_beyond_limit": due_beyond_limit,
    "off_hours_direct": off_hours_direct,
    "code_date": code_date,
    "rating_burst": rating_burst,
    "rating_unfinished": rating_unfinished,
    "out_of_order": out_of_order,
}


def flagged(
    store: Store,
    rule: Rule,
    start: datetime,
    end: datetime,
    calendar: HolidayCalendar | None = None,
) -> ir.Table:
    """The records ``rule`` flags among those of ``[start, end)``."""
    return QUERIES[rule.id](store, rule, start, end, calendar or HolidayCalendar.default())
