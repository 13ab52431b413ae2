"""Everything the dossier blocks share, computed once per generation.

A :class:`Plan` fixes the producing units and their profiles, the procedure arrays,
the day table with due instants, and how many dossiers each day receives (the total is
spread over days by :meth:`Timeline.day_weights` with cumulative rounding, so row ``i``
of the output always falls on the same day whatever the chunk size).

The period is cut into *segments* wherever the set of valid units changes (the
1/7/2025 reorganisation): inside a segment the same units handle the same procedures.
Before 1/7/2025 communes only take procedures whose ``former_level`` is ``xa``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chiso.domain.calendar import HolidayCalendar
from chiso.domain.records import OnlineLevel
from chiso.domain.units import Unit, UnitKind, UnitTree
from chiso.errors import UserError
from chiso.synth.catalogue import Catalogue
from chiso.synth.profiles import COMMUNE_KINDS, Profiles, draw_profiles, producing_units
from chiso.synth.timeline import Timeline, horizon

__all__ = ["TWO_LEVEL_FROM", "Plan", "Segment", "build_plan"]

#: First day of the two-level local government (communes take former district work).
TWO_LEVEL_FROM = date(2025, 7, 1)
#: Probability that a dossier of a procedure can be submitted online, by online level.
_AVAILABILITY = {OnlineLevel.FULL: 1.0, OnlineLevel.PARTIAL: 0.85, OnlineLevel.NONE: 0.0}
#: Share of online-submitted dossiers whose components are digital from the start.
ONLINE_COMPONENTS_DIGITAL = 0.97
#: Online payment is this much likelier for online than for desk dossiers (relative).
_PAY_ONLINE_LIFT, _PAY_DESK_LIFT = 1.25, 0.5

Floats = NDArray[np.float64]
Int64s = NDArray[np.int64]


@dataclass(frozen=True)
class Segment:
    """Days with one set of valid units; cumulative weights for drawing."""

    first_day: int
    procs: Int64s
    proc_cdf_working: Floats
    proc_cdf_day_off: Floats
    communes: Int64s
    commune_cdf: Floats


@dataclass(frozen=True)
class Plan:
    """Shared state of one generation (see the module docstring)."""

    seed: int
    dossiers: int
    timeline: Timeline
    units: tuple[Unit, ...]
    unit_codes: pa.Array
    profiles: Profiles
    catalogue: Catalogue
    proc_codes: pa.Array
    proc_availability: Floats
    proc_has_fee: NDArray[np.bool_]
    proc_fee: Floats
    proc_per_page: NDArray[np.bool_]
    proc_limit_index: Int64s
    proc_agency: Int64s
    due: Int64s
    segments: tuple[Segment, ...]
    day_segment: Int64s
    day_end: Int64s
    day_labels: pa.Array
    seq_width: int
    online_scale: Floats
    pay_online_if_online: Floats
    pay_online_if_desk: Floats
    comp_if_desk: Floats
    #: Day index of 1/7/2025 (negative when the period starts later): from that day a
    #: dossier may be received at any centre of the province.
    two_level_day: int = 0
    #: The province's public-administration centre valid over the two-level days, if any.
    centre_code: str | None = None


def build_plan(
    *,
    dossiers: int,
    start: date,
    end: date,
    seed: int,
    tree: UnitTree,
    catalogue: Catalogue,
    calendar: HolidayCalendar,
) -> Plan:
    """Fix units, profiles, procedures and the day table for one generation (``end``: a
    day, or an instant whose day is covered; see :func:`~chiso.synth.timeline.horizon`)."""
    end, stop = horizon(end)
    units = producing_units(tree, start, end)
    if not units:
        raise UserError(f"no commune or department is valid between {start} and {end}")
    timeline = Timeline.build(start, end, calendar, stop=stop)
    index = {u.unit_code: i for i, u in enumerate(units)}
    entries = catalogue.entries
    limits = sorted({e.time_limit_days for e in entries})
    profiles = draw_profiles(tree, units, seed=seed)
    segments, day_segment = _segments(timeline, units, catalogue, index, profiles.weight)
    weights = timeline.day_weights() * _segment_day_factor(segments, day_segment, timeline)
    if dossiers > 0 and weights.sum() <= 0:
        raise UserError(f"no procedure can be handled between {start} and {end}")
    online_reach = _online_reach(units, segments, catalogue)
    day_end = _allocate(dossiers, weights)
    return Plan(
        seed=seed,
        dossiers=dossiers,
        timeline=timeline,
        units=tuple(units),
        unit_codes=pa.array([u.unit_code for u in units], pa.string()),
        profiles=profiles,
        catalogue=catalogue,
        proc_codes=pa.array([e.procedure_code for e in entries], pa.string()),
        proc_availability=np.array([_AVAILABILITY[e.online_level] for e in entries]),
        proc_has_fee=np.array([e.has_fee for e in entries], dtype=np.bool_),
        proc_fee=np.array([float(e.fee_vnd) for e in entries]),
        proc_per_page=np.array([e.field == "Chứng thực" and e.fee_vnd <= 2000 for e in entries]),
        proc_limit_index=np.array([limits.index(e.time_limit_days) for e in entries]),
        proc_agency=np.array([index.get(e.agency_code or "", -1) for e in entries]),
        due=timeline.due_table(limits),
        segments=segments,
        day_segment=day_segment,
        day_end=day_end,
        day_labels=pa.array([d.strftime("%y%m%d") for d in timeline.dates()], pa.string()),
        seq_width=max(6, len(str(int(np.diff(day_end, prepend=0).max(initial=0))))),
        **_channel_rates(profiles, online_reach),
        two_level_day=(TWO_LEVEL_FROM - timeline.start).days,
        centre_code=_province_centre(tree, max(start, TWO_LEVEL_FROM), timeline.end),
    )


def _province_centre(tree: UnitTree, first: date, end: date) -> str | None:
    """The centre directly under the province, valid from ``first`` to the end, if any."""
    for unit in tree:
        parent = tree.get(unit.parent_code) if unit.parent_code is not None else None
        if (
            unit.kind is UnitKind.TRUNG_TAM
            and parent is not None
            and parent.kind is UnitKind.TINH
            and unit.is_valid_on(first)
            and (unit.valid_to is None or unit.valid_to >= end - timedelta(days=1))
        ):
            return unit.unit_code
    return None


def _segments(
    timeline: Timeline,
    units: list[Unit],
    catalogue: Catalogue,
    index: dict[str, int],
    unit_weight: Floats,
) -> tuple[tuple[Segment, ...], Int64s]:
    start, end = timeline.start, timeline.end
    cuts = {start, TWO_LEVEL_FROM}
    for u in units:
        cuts.add(u.valid_from)
        if u.valid_to is not None:
            cuts.add(u.valid_to + timedelta(days=1))
    firsts = sorted(d for d in cuts if start <= d < end)
    segments = tuple(_segment(d, timeline, units, catalogue, index, unit_weight) for d in firsts)
    day_segment = np.zeros(timeline.n_days, dtype=np.int64)
    for k, seg in enumerate(segments):
        day_segment[seg.first_day :] = k
    return segments, day_segment


def _segment(
    first: date,
    timeline: Timeline,
    units: list[Unit],
    catalogue: Catalogue,
    index: dict[str, int],
    unit_weight: Floats,
) -> Segment:
    valid = [u for u in units if u.is_valid_on(first)]
    communes = np.array(
        [index[u.unit_code] for u in valid if u.kind in COMMUNE_KINDS], dtype=np.int64
    )
    agencies = {u.unit_code for u in valid}
    two_level = first >= TWO_LEVEL_FROM
    procs, weights = [], []
    for p, e in enumerate(catalogue.entries):
        if e.level == "xa":
            ok = communes.size > 0 and (two_level or e.handled_by_communes_before_2025())
        else:
            ok = e.agency_code in agencies
        if ok and e.popularity > 0:
            procs.append(p)
            weights.append(float(e.popularity))
    w = np.array(weights)
    online = np.array([_AVAILABILITY[catalogue.entries[p].online_level] > 0 for p in procs])
    return Segment(
        first_day=(first - timeline.start).days,
        procs=np.array(procs, dtype=np.int64),
        proc_cdf_working=_cdf(w),
        proc_cdf_day_off=_cdf(w * online),
        communes=communes,
        commune_cdf=_cdf(unit_weight[communes]),
    )


def _cdf(weights: Floats) -> Floats:
    total = weights.sum()
    if total <= 0:
        return np.zeros_like(weights)
    cdf = np.cumsum(weights) / total
    cdf[-1] = 1.0
    return np.asarray(cdf, dtype=np.float64)


def _segment_day_factor(
    segments: tuple[Segment, ...], day_segment: Int64s, timeline: Timeline
) -> Floats:
    """Zero for days whose segment has nothing to draw (working or day off)."""
    working = timeline.ext_working[: timeline.n_days]
    has_work = np.array(
        [s.proc_cdf_working.size > 0 and s.proc_cdf_working[-1] > 0 for s in segments]
    )
    has_off = np.array(
        [s.proc_cdf_day_off.size > 0 and s.proc_cdf_day_off[-1] > 0 for s in segments]
    )
    ok = np.where(working, has_work[day_segment], has_off[day_segment])
    return ok.astype(np.float64)


def _allocate(n: int, weights: Floats) -> Int64s:
    """Cumulative row counts per day: ``day_end[d]`` rows fall on days ``<= d``."""
    total = weights.sum()
    if n == 0 or total <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    cum = np.floor(np.cumsum(weights) / total * n).astype(np.int64)
    cum[-1] = n
    return np.maximum.accumulate(np.minimum(cum, n))


def _online_reach(units: list[Unit], segments: tuple[Segment, ...], cat: Catalogue) -> Floats:
    """Volume-weighted share of each unit's dossiers that could be submitted online."""
    reach = np.ones(len(units))
    avail = np.array([_AVAILABILITY[e.online_level] for e in cat.entries])
    pop = np.array([float(e.popularity) for e in cat.entries])
    agency = [e.agency_code for e in cat.entries]
    for seg in reversed(segments):  # the first segment a unit appears in wins
        ps = np.array([p for p in seg.procs if cat.entries[p].level == "xa"], dtype=np.int64)
        reach[seg.communes] = _weighted(avail, pop, ps)
    for i, u in enumerate(units):
        ps = np.array([p for p, a in enumerate(agency) if a == u.unit_code], dtype=np.int64)
        if ps.size:
            reach[i] = _weighted(avail, pop, ps)
    return reach


def _weighted(values: Floats, weights: Floats, picks: NDArray[np.int64]) -> float:
    if picks.size == 0 or weights[picks].sum() <= 0:
        return 1.0
    return float(np.average(values[picks], weights=weights[picks]))


def _channel_rates(profiles: Profiles, reach: Floats) -> dict[str, Floats]:
    """Per-unit probabilities that make the realised shares match the profile."""
    reach = np.maximum(reach, 0.05)
    online = np.minimum(profiles.online, reach)
    lift = 1.0 / (_PAY_ONLINE_LIFT * online + _PAY_DESK_LIFT * (1.0 - online))
    desk = np.maximum(1.0 - online, 1e-9)
    return {
        "online_scale": profiles.online / reach,
        "pay_online_if_online": np.minimum(1.0, _PAY_ONLINE_LIFT * lift * profiles.pay_online),
        "pay_online_if_desk": np.minimum(1.0, _PAY_DESK_LIFT * lift * profiles.pay_online),
        "comp_if_desk": np.clip(
            (profiles.comp - ONLINE_COMPONENTS_DIGITAL * online) / desk, 0.0, 1.0
        ),
    }
