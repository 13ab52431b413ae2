"""What happens to the dossiers of one block after intake, and the Arrow tables.

Per dossier, using the unit's profile: supplement requests (mostly none), rejection
or withdrawal (rare), lateness (more likely after a supplement request), a small share
that is never finished (pending, later overdue); finishing time inside office hours,
before the due instant when on time and some working days after it when late; return
of the result shortly after; fee, payment channel, digitisation flags, sync; and a
rating for a share of finished dossiers. Events at or after the generation's stop
instant (``Timeline.stop``: midnight of ``end``, or the instant ``end`` names) have not
happened yet: their timestamps are null and the status says where the dossier stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from chiso.domain.records import Channel, DossierStatus, Payment
from chiso.synth.intake import HOUR, Intake, to_office_hours
from chiso.synth.plan import ONLINE_COMPONENTS_DIGITAL, Plan
from chiso.synth.receiving import receiving_points
from chiso.synth.schemas import arrow_schema
from chiso.synth.timeline import DAY

__all__ = ["RATING_CHANNELS", "block_tables"]

RATING_CHANNELS = ("web", "qr", "kiosk", "paper")
_STATUS = {s: i for i, s in enumerate(DossierStatus)}
_STATUS_ARRAY = pa.array([s.value for s in DossierStatus], pa.string())
_CHANNEL_ARRAY = pa.array([c.value for c in (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL)])
_PAYMENT_ARRAY = pa.array([p.value for p in (Payment.NONE, Payment.DIRECT, Payment.ONLINE)])
_RATING_CHANNEL_ARRAY = pa.array(list(RATING_CHANNELS), pa.string())
_WITHDRAWN_SHARE = 0.003
_FEE_EXEMPT_SHARE = 0.04
_NULL = np.iinfo(np.int64).min
_N_UNIFORMS = 22

Int64s = NDArray[np.int64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True)
class _Timing:
    supplements: Int64s
    normal: Bools
    rejected: Bools
    finished: Int64s
    returned: Int64s
    done: Bools
    handed_back: Bools


def block_tables(plan: Plan, rng: np.random.Generator, it: Intake) -> tuple[pa.Table, pa.Table]:
    """The ``dossiers`` and ``ratings`` tables of one block."""
    u = rng.random((_N_UNIFORMS, len(it)), dtype=np.float32)
    timing = _timing(plan, rng, it, u)
    status = _status(plan, it, timing, u[8])
    unit_codes = plan.unit_codes.take(pa.array(it.unit))
    codes = pc.binary_join_element_wise(
        unit_codes,
        plan.day_labels.take(pa.array(it.day)),
        pc.utf8_lpad(pc.cast(pa.array(it.seq), pa.string()), width=plan.seq_width, padding="0"),
        "-",
    )
    prof = plan.profiles
    fee, payment = _fees(plan, rng, it, u[9], u[10])
    comp_p = np.where(it.online, ONLINE_COMPONENTS_DIGITAL, plan.comp_if_desk[it.unit])
    reuse_p = prof.reuse[it.unit] * np.where(it.online, 1.6, 0.6)
    channel = np.where(it.online, 1, np.where(it.postal, 2, 0))
    columns: dict[str, Any] = {
        "dossier_code": codes,
        "unit_code": unit_codes,
        "procedure_code": plan.proc_codes.take(pa.array(it.proc)),
        "channel": _CHANNEL_ARRAY.take(pa.array(channel)),
        "received_at": _timestamps(it.received),
        "due_at": _timestamps(it.due),
        "finished_at": _timestamps(timing.finished, null=~timing.done),
        "returned_at": _timestamps(timing.returned, null=~timing.handed_back),
        "status": _STATUS_ARRAY.take(pa.array(status)),
        "supplement_count": pa.array(timing.supplements, pa.int64()),
        "fee_amount": pa.array(fee, pa.float64()),
        "payment": _PAYMENT_ARRAY.take(pa.array(payment)),
        "components_digitized": pa.array(u[11] < comp_p),
        "result_digitized": pa.array(timing.done & timing.normal & (u[12] < prof.result[it.unit])),
        "reused_data": pa.array(u[13] < reuse_p),
        "synced": pa.array(u[14] < prof.sync[it.unit]),
        "receiving_point": receiving_points(plan, it, unit_codes),
    }
    dossiers = pa.table(columns, schema=arrow_schema("dossiers"))
    return dossiers, _ratings(plan, rng, it, timing, codes, u)


def _timing(plan: Plan, rng: np.random.Generator, it: Intake, u: NDArray[np.float32]) -> _Timing:
    prof, n = plan.profiles, len(it)
    s1 = u[0] < prof.supplement[it.unit]
    s2 = s1 & (u[1] < 0.15)
    supplements = s1.astype(np.int64) + s2 + (s2 & (u[2] < 0.2))
    rejected = u[3] < prof.rejected[it.unit]
    withdrawn = ~rejected & (u[3] > 1.0 - _WITHDRAWN_SHARE)
    normal = ~rejected & ~withdrawn
    late = normal & (u[4] < np.minimum(0.95, prof.late[it.unit] * np.where(s1, 3.5, 1.0)))
    stuck = normal & ~late & (u[5] < prof.stuck[it.unit])
    # On time (and rejections, earlier still): a fraction of the time to the due instant.
    frac = rng.beta(1.3, 3.0, size=n) * np.where(normal, 1.0, 0.3)
    quick = it.received + np.maximum(300, frac * (it.due - it.received)).astype(np.int64)
    quick = np.minimum(to_office_hours(plan, quick, u[6]), it.due)
    quick = np.maximum(quick, it.received + 60)
    # Late: 1, 2, … working days after the due day (geometric), during office hours.
    tl = plan.timeline
    days_late = np.minimum(rng.geometric(0.45, size=n), 20).astype(np.int64)
    late_day = tl.working_days_later(tl.day_index(it.due), days_late)
    late_at = tl.origin + late_day * DAY + (7.5 * HOUR + u[7] * 9 * HOUR).astype(np.int64)
    finished = np.where(late, np.maximum(late_at, it.due + 60), quick)
    end = tl.stop_seconds
    done = ~stuck & (finished < end)
    returned = _returned(plan, rng, it, finished, u)
    handed_back = done & normal & (returned < end)
    return _Timing(supplements, normal, rejected, finished, returned, done, handed_back)


def _returned(
    plan: Plan, rng: np.random.Generator, it: Intake, finished: Int64s, u: NDArray[np.float32]
) -> Int64s:
    """Results are handed back within hours (electronic results: minutes) or days."""
    e_result = it.online & (u[15] < 0.6)
    soon = u[16] < np.where(e_result, 0.9, 0.55)
    hours = (60 + u[17] * np.where(e_result, 2 * HOUR, 4 * HOUR)).astype(np.int64)
    days = (rng.exponential(1.5 * DAY, size=len(it)) + HOUR).astype(np.int64)
    later = to_office_hours(plan, finished + days, u[18])
    return np.where(soon, finished + hours, np.maximum(later, finished + 60))


def _status(plan: Plan, it: Intake, t: _Timing, u: NDArray[np.float32]) -> Int64s:
    end = plan.timeline.stop_seconds
    status = np.full(len(it), _STATUS[DossierStatus.PROCESSING], dtype=np.int64)
    pending = ~t.done
    status[pending & (t.supplements > 0) & (u < 0.6)] = _STATUS[DossierStatus.SUPPLEMENT]
    fresh = pending & (t.supplements == 0) & (end - it.received < DAY)
    status[fresh] = _STATUS[DossierStatus.RECEIVED]
    status[t.done & t.normal] = _STATUS[DossierStatus.FINISHED]
    status[t.handed_back] = _STATUS[DossierStatus.RETURNED]
    status[t.done & t.rejected] = _STATUS[DossierStatus.REJECTED]
    status[t.done & ~t.normal & ~t.rejected] = _STATUS[DossierStatus.WITHDRAWN]
    return status


def _fees(
    plan: Plan,
    rng: np.random.Generator,
    it: Intake,
    u_exempt: NDArray[np.float32],
    u_pay: NDArray[np.float32],
) -> tuple[NDArray[np.float64], Int64s]:
    """Fee (certified copies: per page) and payment none (0) / direct (1) / online (2)."""
    charged = plan.proc_has_fee[it.proc] & (u_exempt >= _FEE_EXEMPT_SHARE)
    pages = np.where(plan.proc_per_page[it.proc], np.minimum(rng.geometric(0.4, len(it)), 30), 1)
    fee = np.where(charged, plan.proc_fee[it.proc] * pages, 0.0)
    p_online = np.where(
        it.online, plan.pay_online_if_online[it.unit], plan.pay_online_if_desk[it.unit]
    )
    payment = np.where(charged, np.where(u_pay < p_online, 2, 1), 0)
    return fee, payment.astype(np.int64)


def _ratings(
    plan: Plan,
    rng: np.random.Generator,
    it: Intake,
    t: _Timing,
    codes: pa.Array,
    u: NDArray[np.float32],
) -> pa.Table:
    """A share of finished dossiers is rated, some time after the result is handed back."""
    prof = plan.profiles
    base = np.where(t.handed_back, t.returned, t.finished)
    rated_at = base + 60 + rng.exponential(DAY, size=len(it)).astype(np.int64)
    keep = (
        t.done
        & t.normal
        & (u[19] < prof.rating_share[it.unit])
        & (rated_at < plan.timeline.stop_seconds)
    )
    late = t.finished > it.due
    satisfied = u[20] < prof.rating_satisfied[it.unit] - np.where(late, 0.35, 0.0)
    w = u[21]  # web 75 % / QR 25 % online; kiosk 40 % / QR 35 % / paper 25 % at the desk
    channel = np.where(
        it.online, np.where(w < 0.75, 0, 1), np.where(w < 0.4, 2, np.where(w < 0.75, 1, 3))
    )
    mask = pa.array(keep)
    columns = {
        "dossier_code": codes.filter(mask),
        "rated_at": _timestamps(rated_at[keep]),
        "channel": _RATING_CHANNEL_ARRAY.take(pa.array(channel[keep])),
        "satisfied": pa.array(satisfied[keep]),
    }
    return pa.table(columns, schema=arrow_schema("ratings"))


def _timestamps(seconds: Int64s, *, null: Bools | None = None) -> pa.Array:
    if null is None:
        return pa.array(seconds * 1_000_000, type=pa.timestamp("us"))
    values = np.where(null, 0, seconds) * 1_000_000
    return pa.array(values, type=pa.timestamp("us"), mask=null)
