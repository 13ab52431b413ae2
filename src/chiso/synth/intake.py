"""Intake of one block of dossiers: day, procedure, unit, channel, received and due.

A block is a fixed range of output rows (``BLOCK_ROWS`` of them) drawn from its own
random stream ``(seed, 2, block)``, so a row's content does not depend on how rows are
later grouped into files. Rows are in intake order inside a block; the per-day
sequence number of the dossier code follows that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chiso.synth.plan import Plan
from chiso.synth.timeline import CUTOFF_HOUR, DAY

__all__ = ["BLOCK_ROWS", "HOUR", "Intake", "draw_intake", "to_office_hours"]

BLOCK_ROWS = 1 << 17
HOUR = 3600
#: Share of desk (non-online) dossiers sent by public postal service.
POSTAL_SHARE = 0.006
#: Office hours used to place processing events (opening, closing).
OPEN, CLOSE = 7 * HOUR, 17 * HOUR

Int64s = NDArray[np.int64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True)
class Intake:
    """Per-row arrays of one block, in intake order."""

    rows: Int64s
    day: Int64s
    seq: Int64s
    unit: Int64s
    proc: Int64s
    online: Bools
    postal: Bools
    received: Int64s
    due: Int64s

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.rows)


def draw_intake(plan: Plan, rng: np.random.Generator, lo: int, hi: int) -> Intake:
    """Draw rows ``lo`` to ``hi`` (excluded) of the output."""
    tl = plan.timeline
    rows = np.arange(lo, hi, dtype=np.int64)
    day = _days_of_rows(plan.day_end, lo, hi)
    working = tl.ext_working[day]
    proc, unit = _procedure_and_unit(plan, rng, day, working)
    u = rng.random((3, len(rows)))
    p_online = np.minimum(1.0, plan.online_scale[unit] * plan.proc_availability[proc])
    online = ~working | (u[0] < p_online)
    postal = ~online & (u[1] < POSTAL_SHARE)
    received = tl.origin + day * DAY + _time_of_day(u[2], online)
    # Sort by intake instant (this only reorders rows inside a day); the row number
    # breaks ties so that the order does not depend on the sorting algorithm.
    order = np.argsort(received * BLOCK_ROWS + (rows - lo))
    proc, unit, online, postal, received = (
        proc[order],
        unit[order],
        online[order],
        postal[order],
        received[order],
    )
    day_start = np.concatenate(([0], plan.day_end[:-1]))
    after_cutoff = (received - tl.origin - day * DAY) >= CUTOFF_HOUR * HOUR
    due = plan.due[day, after_cutoff.astype(np.int64), plan.proc_limit_index[proc]]
    return Intake(
        rows=rows,
        day=day,
        seq=rows - day_start[day] + 1,
        unit=unit,
        proc=proc,
        online=online,
        postal=postal,
        received=received,
        due=due,
    )


def _days_of_rows(day_end: Int64s, lo: int, hi: int) -> Int64s:
    """Day of each row ``lo … hi - 1`` (``day_end`` is cumulative and sorted)."""
    if hi <= lo:
        return np.zeros(0, dtype=np.int64)
    first, last = np.searchsorted(day_end, [lo, hi - 1], side="right")
    days = np.arange(first, last + 1, dtype=np.int64)
    counts = np.minimum(day_end[first : last + 1], hi) - np.maximum(
        np.concatenate(([lo], day_end[first:last])), lo
    )
    return np.repeat(days, counts)


def _procedure_and_unit(
    plan: Plan, rng: np.random.Generator, day: Int64s, working: Bools
) -> tuple[Int64s, Int64s]:
    """Procedure by popularity (online-capable only on days off), then its unit.

    Commune procedures go to a commune drawn by volume weight, provincial ones to the
    department that handles them.
    """
    n = len(day)
    proc = np.zeros(n, dtype=np.int64)
    unit = np.zeros(n, dtype=np.int64)
    u = rng.random((2, n))
    seg_of_row = plan.day_segment[day]
    for k in range(int(seg_of_row[0]), int(seg_of_row[-1]) + 1) if n else ():
        seg = plan.segments[k]
        in_seg = seg_of_row == k
        for is_working, cdf in ((True, seg.proc_cdf_working), (False, seg.proc_cdf_day_off)):
            m = in_seg & (working == is_working)
            if m.any():
                pick = np.searchsorted(cdf, u[0][m], side="right")
                proc[m] = seg.procs[np.minimum(pick, len(seg.procs) - 1)]
        commune = np.zeros(int(in_seg.sum()), dtype=np.int64)
        if seg.communes.size:
            pick = np.searchsorted(seg.commune_cdf, u[1][in_seg], side="right")
            commune = seg.communes[np.minimum(pick, len(seg.communes) - 1)]
        agency = plan.proc_agency[proc[in_seg]]
        unit[in_seg] = np.where(agency >= 0, agency, commune)
    return proc, unit


def _time_of_day(u: NDArray[np.float64], online: Bools) -> Int64s:
    """Seconds after midnight, by inverting a piecewise-uniform distribution.

    Desk: 60 % 07:30–11:30, 40 % 13:30–17:00. Online: 70 % 07:00–17:30, 24 % in the
    evening 17:30–23:30, 6 % from midnight to 07:00.
    """
    desk = np.where(
        u < 0.6, 7.5 * HOUR + u / 0.6 * 4 * HOUR, 13.5 * HOUR + (u - 0.6) / 0.4 * 3.5 * HOUR
    )
    web = np.where(
        u < 0.70,
        7 * HOUR + u / 0.70 * 10.5 * HOUR,
        np.where(
            u < 0.94, 17.5 * HOUR + (u - 0.70) / 0.24 * 6 * HOUR, (u - 0.94) / 0.06 * 7 * HOUR
        ),
    )
    return np.minimum(np.where(online, web, desk), DAY - 1).astype(np.int64)


def to_office_hours(plan: Plan, t: Int64s, u: NDArray[np.floating]) -> Int64s:
    """Keep instants inside office hours of a working day; move others forward.

    An instant before opening on a working day moves to that morning; one after closing
    or on a day off moves to the next working morning (07:30 + up to 90 minutes, by
    ``u``).
    """
    tl = plan.timeline
    day = tl.day_index(t)
    tod = t - tl.origin - day * DAY
    working = tl.ext_working[day]
    inside = working & (tod >= OPEN) & (tod <= CLOSE)
    target = np.where(working & (tod < OPEN), day, tl.next_working(day, strictly_after=True))
    target = np.where(working, target, tl.next_working(day, strictly_after=False))
    moved = tl.origin + target * DAY + int(7.5 * HOUR) + (u * 1.5 * HOUR).astype(np.int64)
    return np.where(inside, t, moved)
