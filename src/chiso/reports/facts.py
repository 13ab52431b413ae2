"""The statistics a report states besides the scores: fees, digitisation, late dossiers.

Biểu 02 (fees and payments) and Biểu 03 (digitisation) are separate statistics
with their own identities (domain.md §2.7), not inputs of the scores; the late
dossiers by field feed the "tồn tại, hạn chế" sentences.  They are counted from
the store with Ibis (one grouped query each) or read from received annexes
(:mod:`chiso.reports.inputs`); either way they end up in these frozen rows.

Examples:
    >>> row = FeeRow("u1", "UBND xã A", unpaid=(1, 50000), direct=(48, 980100),
    ...              online=(3, 9, 199000))
    >>> row.procedures, row.dossiers, row.amount, row.online_rate
    (None, 58, 1229100, Fraction(9, 58))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import ibis
import ibis.expr.types as ir

from chiso.domain.periods import Period
from chiso.engine.goalseek import Plan
from chiso.storage.store import Store

__all__ = [
    "DigitisationRow",
    "Facts",
    "FeeRow",
    "LateRow",
    "count_digitisation",
    "count_fees",
    "count_late",
    "facts_from_store",
]


@dataclass(frozen=True)
class FeeRow:
    """Biểu 02 row: fee-bearing dossiers unpaid, paid directly, paid online.

    ``unpaid`` and ``direct`` are (dossiers, amount); ``online`` is (procedures,
    dossiers, amount); ``procedures`` counts the unit's fee procedures with a
    dossier (None when the source does not say).
    """

    unit_code: str
    name: str
    unpaid: tuple[int, int]
    direct: tuple[int, int]
    online: tuple[int, int, int]
    procedures: int | None = None

    @property
    def dossiers(self) -> int:
        """All fee-bearing dossiers (unpaid + direct + online)."""
        return self.unpaid[0] + self.direct[0] + self.online[1]

    @property
    def amount(self) -> int:
        """Fees of all three columns, in VND."""
        return self.unpaid[1] + self.direct[1] + self.online[2]

    @property
    def online_rate(self) -> Fraction | None:
        """Dossiers paid online ÷ all fee-bearing dossiers (seed 002's 25 % target)."""
        return Fraction(self.online[1], self.dossiers) if self.dossiers else None


@dataclass(frozen=True)
class DigitisationRow:
    """Biểu 03 row: received / digitised at intake; finished / digitised result."""

    unit_code: str
    name: str
    received: int
    components: int
    finished: int
    results: int

    @property
    def components_rate(self) -> Fraction | None:
        """(3) = (2) / (1)."""
        return Fraction(self.components, self.received) if self.received else None

    @property
    def results_rate(self) -> Fraction | None:
        """(7) = (6) / (5)."""
        return Fraction(self.results, self.finished) if self.finished else None


@dataclass(frozen=True)
class LateRow:
    """Late dossiers of one unit in one field (lĩnh vực)."""

    unit_code: str
    field: str
    finished_late: int
    pending_late: int
    #: Handled in the period, neither finished nor pending late, but with more than one
    #: supplement request: late under index sets whose on-time rule reads
    #: ``supplement_count`` (QĐ 766, QĐ 459).
    supplement_over: int = 0


@dataclass(frozen=True)
class Facts:
    """Every statistic of a report; ``None`` = the source does not have it."""

    fees: tuple[FeeRow, ...] | None = None
    digitisation: tuple[DigitisationRow, ...] | None = None
    late: tuple[LateRow, ...] | None = None
    names: dict[str, str] = field(default_factory=dict)
    #: Plans to the next class (:mod:`chiso.engine.goalseek`) of the report's units, when
    #: the period is still running (section 4, "phương hướng"); empty otherwise.
    plans: tuple[Plan, ...] = ()


def _received(t: ir.Table, period: Period) -> ir.BooleanValue:
    return (t.received_at >= period.start) & (t.received_at < period.end)


def _with_procedures(store: Store, units: Sequence[str]) -> ir.Table:
    d = store.table("dossiers")
    d = d.filter(d.unit_code.isin(list(units)))
    p = store.table("procedures").select("procedure_code", "has_fee", "field")
    return d.left_join(p, d.procedure_code == p.procedure_code)


def _rows(store: Store, expr: ir.Table) -> list[dict[str, object]]:
    return list(store.to_pyarrow(expr.order_by(expr.columns[0])).to_pylist())


def count_fees(store: Store, period: Period, names: dict[str, str]) -> tuple[FeeRow, ...]:
    """Biểu 02: fee-bearing dossiers received in the period, per unit and payment."""
    t = _with_procedures(store, list(names))
    t = t.filter(_received(t, period) & (t.has_fee == True))  # noqa: E712 (ibis expression)
    amount = t.fee_amount.fill_null(0)

    def paid(kind: str) -> ir.BooleanValue:
        if kind == "none":
            return t.payment.isnull() | (t.payment == "none")
        return t.payment == kind

    expr = t.group_by("unit_code").aggregate(
        **{f"{k}_n": paid(k).sum().cast("int64") for k in ("none", "direct", "online")},
        **{f"{k}_fee": ibis.ifelse(paid(k), amount, 0).sum() for k in ("none", "direct", "online")},
        online_procedures=t.procedure_code.nunique(where=paid("online")),
        procedures=t.procedure_code.nunique(),
    )
    by_unit = {r["unit_code"]: r for r in _rows(store, expr)}
    out = []
    for code, name in names.items():
        r = by_unit.get(code, {})
        out.append(
            FeeRow(
                code,
                name,
                unpaid=(_int(r, "none_n"), _int(r, "none_fee")),
                direct=(_int(r, "direct_n"), _int(r, "direct_fee")),
                online=(_int(r, "online_procedures"), _int(r, "online_n"), _int(r, "online_fee")),
                procedures=_int(r, "procedures"),
            )
        )
    return tuple(out)


def _int(row: dict[str, object], key: str) -> int:
    value = row.get(key)
    return round(value) if isinstance(value, int | float) else 0


def count_digitisation(
    store: Store, period: Period, names: dict[str, str]
) -> tuple[DigitisationRow, ...]:
    """Biểu 03: dossiers received (digitised at intake) and finished (digitised result)."""
    t = store.table("dossiers")
    t = t.filter(t.unit_code.isin(list(names)))
    received = _received(t, period)
    finished = t.finished_at.notnull() & (t.finished_at >= period.start)
    finished = finished & (t.finished_at < period.end)
    expr = t.group_by("unit_code").aggregate(
        received=received.sum().cast("int64"),
        components=(received & (t.components_digitized == True)).sum().cast("int64"),  # noqa: E712
        finished=finished.sum().cast("int64"),
        results=(finished & (t.result_digitized == True)).sum().cast("int64"),  # noqa: E712
    )
    by_unit = {r["unit_code"]: r for r in _rows(store, expr)}
    out = []
    for code, name in names.items():
        r = by_unit.get(code, {})
        counts = [_int(r, k) for k in ("received", "components", "finished", "results")]
        out.append(DigitisationRow(code, name, counts[0], counts[1], counts[2], counts[3]))
    return tuple(out)


def count_late(store: Store, period: Period, units: Sequence[str]) -> tuple[LateRow, ...]:
    """Dossiers finished late in the period, unfinished past due at ``as_of``, and handled
    in the period with more than one supplement request (otherwise on time), by field."""
    t = _with_procedures(store, units)
    done = t.finished_at.notnull() & (t.finished_at < period.as_of)
    finished_late = (
        done & (t.finished_at >= period.start) & t.due_at.notnull() & (t.finished_at > t.due_at)
    )
    pending_late = (
        (t.received_at < period.end) & ~done & t.due_at.notnull() & (t.due_at < period.as_of)
    )
    handled = (t.received_at < period.end) & (
        t.finished_at.isnull() | (t.finished_at >= period.start)
    )
    over = ibis.literal(False)
    if "supplement_count" in t.columns:
        over = (
            handled
            & (t.supplement_count.fill_null(0) > 1)
            & ~finished_late.fill_null(False)
            & ~pending_late.fill_null(False)
        )
    t = t.filter(finished_late | pending_late | over).mutate(
        field=t["field"].fill_null("khác"), fin=finished_late, pen=pending_late, sup=over
    )
    expr = t.group_by(["unit_code", "field"]).aggregate(
        finished_late=t.fin.sum().cast("int64"),
        pending_late=t.pen.sum().cast("int64"),
        supplement_over=t.sup.sum().cast("int64"),
    )
    rows = store.to_pyarrow(expr.order_by(["unit_code", "field"])).to_pylist()
    return tuple(
        LateRow(
            r["unit_code"], r["field"], r["finished_late"], r["pending_late"], r["supplement_over"]
        )
        for r in rows
    )


def facts_from_store(store: Store, period: Period, names: dict[str, str]) -> Facts:
    """Every statistic of the report counted from the store, for units ``names``."""
    fees = count_fees(store, period, names) if store.has("procedures") else None
    return Facts(
        fees=fees,
        digitisation=count_digitisation(store, period, names),
        late=count_late(store, period, list(names)),
        names=dict(names),
    )
