"""Citizens' petitions (phản ánh, kiến nghị — PAKN) for every producing unit.

Each unit receives a Poisson number of petitions, ``petitions_per_month`` of its
profile times the months it is valid in the period, on working days during office
hours. The due instant is :meth:`HolidayCalendar.due_at` with
:data:`PETITION_DAYS` working days; most are handled before it (unit-dependent share),
the others some working days late; none arrives at or after the generation's stop
instant, and those not handled by then have no ``handled_at``. About a third of handled
petitions are not rated (``satisfied`` null); the rest are satisfied except for the
unit's unsatisfied share.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chiso.synth.intake import HOUR, to_office_hours
from chiso.synth.plan import Plan
from chiso.synth.schemas import arrow_schema
from chiso.synth.timeline import DAY

__all__ = ["PETITION_DAYS", "petitions_table"]

#: Working days to handle a petition.
PETITION_DAYS = 15
_NOT_RATED = 0.33

Int64s = NDArray[np.int64]


def petitions_table(plan: Plan) -> pa.Table:
    """Every petition of the period, in order of receipt (seeded by ``(seed, 3)``)."""
    rng = np.random.default_rng([plan.seed, 3])
    unit, received = _arrivals(plan, rng)
    order = np.lexsort((unit, received))
    unit, received = unit[order], received[order]
    due = np.array([_due(plan, t) for t in received.tolist()], dtype=np.int64)
    handled = _handled(plan, rng, unit, received, due)
    done = handled < plan.timeline.stop_seconds
    u = rng.random(len(unit))
    unsatisfied = plan.profiles.petition_unsatisfied[unit]
    satisfied = pa.array(u >= _NOT_RATED + unsatisfied, mask=~done | (u < _NOT_RATED))
    columns = {
        "petition_code": pa.array(_codes(received), pa.string()),
        "unit_code": plan.unit_codes.take(pa.array(unit)),
        "received_at": pa.array(received * 1_000_000, pa.timestamp("us")),
        "due_at": pa.array(due * 1_000_000, pa.timestamp("us")),
        "handled_at": pa.array(
            np.where(done, handled, 0) * 1_000_000, pa.timestamp("us"), mask=~done
        ),
        "satisfied": satisfied,
    }
    table = pa.table(columns, schema=arrow_schema("petitions"))
    # The last day may stop before closing: petitions drawn after the stop never came.
    return table.filter(pa.array(received < plan.timeline.stop_seconds))


def _arrivals(plan: Plan, rng: np.random.Generator) -> tuple[Int64s, Int64s]:
    tl = plan.timeline
    workdays = tl.workdays[tl.workdays < tl.n_days]
    units: list[Int64s] = []
    times: list[Int64s] = []
    for i, u in enumerate(plan.units):
        first = max(u.valid_from, tl.start)
        stop = tl.end if u.valid_to is None else min(u.valid_to + timedelta(days=1), tl.end)
        lo, hi = (first - tl.start).days, (stop - tl.start).days
        days = workdays[(workdays >= lo) & (workdays < hi)]
        if days.size == 0:
            continue
        count = rng.poisson(plan.profiles.petitions_per_month[i] * (hi - lo) / 30.44)
        picked = rng.choice(days, size=count)
        tod = (7.5 * HOUR + rng.random(count) * 9.5 * HOUR).astype(np.int64)
        units.append(np.full(count, i, dtype=np.int64))
        times.append(tl.origin + picked * DAY + tod)
    if not units:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(units), np.concatenate(times)


def _due(plan: Plan, received: int) -> int:
    at = datetime(1970, 1, 1) + timedelta(seconds=received)
    due = plan.timeline.calendar.due_at(at, PETITION_DAYS)
    return int((due - datetime(1970, 1, 1)).total_seconds())


def _handled(
    plan: Plan, rng: np.random.Generator, unit: Int64s, received: Int64s, due: Int64s
) -> Int64s:
    tl, n = plan.timeline, len(unit)
    u = rng.random((3, n))
    frac = rng.beta(2.0, 2.5, size=n)
    quick = received + (frac * (due - received)).astype(np.int64) + 600
    quick = np.minimum(to_office_hours(plan, quick, u[0]), due)
    days_late = np.minimum(rng.geometric(0.35, size=n), 15).astype(np.int64)
    late_day = tl.working_days_later(tl.day_index(due), days_late)
    late = tl.origin + late_day * DAY + (7.5 * HOUR + u[1] * 9 * HOUR).astype(np.int64)
    on_time = u[2] < plan.profiles.petition_on_time[unit]
    return np.where(on_time, quick, late)


def _codes(received: Int64s) -> list[str]:
    codes: list[str] = []
    seq, last = 0, ""
    for t in received.tolist():
        label = (datetime(1970, 1, 1) + timedelta(seconds=t)).strftime("%y%m%d")
        seq = seq + 1 if label == last else 1
        last = label
        codes.append(f"PAKN-{label}-{seq:04d}")
    return codes
