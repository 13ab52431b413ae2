"""Where each synthetic dossier was received (``receiving_point``).

Since 1/7/2025 (NĐ 118/2025) a dossier may be handed in at any public-administration
centre of the province, not only at the competent unit's: some of the communes' desk
dossiers (about 3 % of all dossiers) are received elsewhere — at the province's centre
or at another commune's.
Online dossiers, the departments' dossiers and everything before 1/7/2025 are received by
the competent unit itself.  The draws come from their own random stream, so every other
column of the generation is what it was without them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from chiso.synth.intake import Intake
from chiso.synth.plan import Plan
from chiso.synth.profiles import COMMUNE_KINDS

__all__ = ["AT_CENTRE", "ELSEWHERE", "receiving_points"]

#: Share of a commune's desk dossiers received at another centre (since 1/7/2025).
ELSEWHERE = 0.15
#: Of those, the share received at the province's centre (the rest: another commune).
AT_CENTRE = 0.4


def receiving_points(plan: Plan, it: Intake, unit_codes: pa.Array) -> pa.Array:
    """The receiving point of each row: its own unit's code, or another centre's."""
    n = len(it)
    if n == 0:
        return unit_codes
    rng = np.random.default_rng([plan.seed, 7, int(it.rows[0])])
    u = rng.random((3, n))
    commune = np.array([unit.kind in COMMUNE_KINDS for unit in plan.units], dtype=bool)
    elsewhere = (it.day >= plan.two_level_day) & commune[it.unit] & ~it.online & (u[0] < ELSEWHERE)
    # index into plan.units; len(plan.units) stands for the province's centre
    chosen = it.unit.copy()
    centre = plan.centre_code is not None
    to_centre = elsewhere & (u[1] < AT_CENTRE) if centre else np.zeros(n, dtype=bool)
    chosen[to_centre] = len(plan.units)
    other = elsewhere & ~to_centre
    segments = plan.day_segment[it.day]
    for k in np.unique(segments[other]).tolist():
        rows = np.flatnonzero(other & (segments == k))
        communes = plan.segments[k].communes
        if communes.size < 2:
            continue
        # another commune of the segment: a uniform pick among the others
        picks = (u[2][rows] * (communes.size - 1)).astype(np.int64)
        own = np.searchsorted(communes, it.unit[rows])
        chosen[rows] = communes[picks + (picks >= own)]
    codes = pa.concat_arrays([plan.unit_codes, pa.array([plan.centre_code or ""], pa.string())])
    return codes.take(pa.array(chosen))
