"""Per-record inputs of the month-end forecast (:mod:`chiso.engine.forecast`).

Two things are read from the data, both per unit:

- :func:`contributions`: what one dossier adds to each of the index set's atoms at the
  period end in each *state* it may end the month in (finished on time, overdue, still
  open and not due, …).  A state is a change of the record's fields, substituted into
  the index set's own atom formulas (:func:`chiso.spec.formula.substitute`) and compiled
  by the engine's row compiler over the joined table (procedure, latest rating), so a
  record's channel, fee, payment, digitisation, sync and rating count exactly as the
  index set counts them.
- :func:`on_time_history`: of the dossiers due in the last weeks, how many were still
  open ``k`` working days before their due day, and of those how many finished on time —
  the unit's own chance of finishing a dossier in time with that much time left.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import ibis
import numpy as np
from numpy.typing import NDArray

from chiso.compile.compiler import Atom, RowCompiler, index_set_atoms, referenced_columns
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.periods import Period
from chiso.domain.records import MEASURE_TABLES, PERIOD_VARIABLES, ColumnType
from chiso.engine.measures import base_table, period_day_indexes
from chiso.engine.workdays import day_index
from chiso.spec.canonical import IndexSet
from chiso.spec.formula import Binary, Call, Name, Node, parse, substitute, walk
from chiso.storage.store import Store

__all__ = ["BUCKETS", "Rows", "atom_keys", "bucket_of", "contributions", "on_time_history"]

#: Working days left before the due day, as the history is bucketed (lower bounds).
BUCKETS = (0, 1, 2, 3, 5, 8, 13)


def bucket_of(days_left: NDArray[np.int64]) -> NDArray[np.intp]:
    """The index in :data:`BUCKETS` of the largest bound at most each of ``days_left``.

    >>> bucket_of(np.array([0, 4, 40, -2])).tolist()
    [0, 3, 6, 0]
    """
    found = np.searchsorted(np.array(BUCKETS), np.maximum(days_left, 0), side="right") - 1
    return found  # type: ignore[no-any-return]


@dataclass
class Rows:
    """Some dossiers of a unit: each one's atoms per state, and its day indexes."""

    #: Atom keys, in the order of the last axis of ``values``.
    keys: list[str]
    #: state × record × atom (what the record counts for at the period end in that state;
    #: for a record already in the data, minus what it counts for as it is).
    values: NDArray[np.int64]
    received: NDArray[np.int64]
    due: NDArray[np.int64]  # -1: no due date
    off: NDArray[np.bool_]  # received on a day off


def _atoms(index_set: IndexSet) -> list[Atom]:
    return [
        a
        for a in index_set_atoms(index_set)
        if a.table == "dossiers" and a.call.name in ("count", "sum")
    ]


def atom_keys(index_set: IndexSet) -> list[str]:
    """The atoms a dossier's state moves, in the order of :attr:`Rows.values`."""
    return [a.key for a in _atoms(index_set)]


def _row_value(compiler: RowCompiler, atom: Atom, change: dict[str, Node]) -> Any:
    """One record's value of ``atom`` with ``change`` substituted (0 when filtered out)."""
    call = substitute(atom.call, change)
    assert isinstance(call, Call)
    filters = [substitute(atom.where, change)] if atom.where is not None else []
    if call.name == "count":
        filters += list(call.args)
        value: Any = ibis.literal(1)
    else:
        filters += list(call.args[1:])
        value = ibis.coalesce(compiler.value(call.args[0]), 0)
    condition = compiler.condition(_conjunction(filters)) if filters else ibis.literal(True)
    return ibis.cases((condition, value), else_=0)


def _conjunction(nodes: Sequence[Node]) -> Node:
    out = nodes[0]
    for node in nodes[1:]:
        out = Binary("and", out, node)
    return out


#: Names a state may set a field to: an empty timestamp, an empty flag.
NULLS = {"no_time": ColumnType.TIMESTAMP, "no_flag": ColumnType.BOOLEAN}


def _bound(table: Any, period: Period) -> RowCompiler:
    types = {**MEASURE_TABLES["dossiers"], **PERIOD_VARIABLES, **NULLS}
    constants: dict[str, Any] = {
        "no_time": ibis.null().cast("timestamp"),
        "no_flag": ibis.null().cast("boolean"),
        "period_start": ibis.literal(period.start, type="timestamp"),
        "period_end": ibis.literal(period.end, type="timestamp"),
        "as_of": ibis.literal(period.as_of, type="timestamp"),
    }
    constants |= {k: ibis.literal(v, type="int64") for k, v in period_day_indexes(period).items()}
    return RowCompiler(table, types, constants=constants)


def contributions(
    store: Store,
    index_set: IndexSet,
    period: Period,
    codes: Sequence[str],
    where: str,
    states: Sequence[Mapping[str, str]],
    *,
    new: bool,
    received_since: datetime | None = None,
) -> dict[str, Rows]:
    """Per unit, the dossiers passing ``where`` (a row formula judged at ``period``'s
    ``as_of``) and their atoms at the period end in each of ``states``.

    Args:
        new: the records are copies still to come (their atoms as they are), rather
            than records already counted (the difference from how they count now).
        received_since: only the records received since then.
    """
    atoms = _atoms(index_set)
    end = replace(period, as_of=period.end)
    changes = [{name: parse(text) for name, text in s.items()} for s in states]
    needed = referenced_columns(atoms) | {
        n.name for c in changes for node in c.values() for n in walk(node) if isinstance(n, Name)
    }
    needed -= set(NULLS)
    rows = base_table(store, "dossiers", needed)
    rows = rows.filter(rows.unit_code.isin(list(codes)))
    rows = rows.filter(_bound(rows, period).condition(parse(where)))
    if received_since is not None:
        rows = rows.filter(rows.received_at >= received_since)
    at_end = _bound(rows, end)
    columns: dict[str, Any] = {}
    for s, change in enumerate(changes):
        for i, atom in enumerate(atoms):
            columns[f"s{s}_{i}"] = _row_value(at_end, atom, change)
            if not new:
                columns[f"s{s}_{i}"] = columns[f"s{s}_{i}"] - _row_value(at_end, atom, {})
    table = store.to_pyarrow(
        rows.select(
            unit_code=rows.unit_code,
            received=rows.received_at.date(),
            due=rows.due_at.date(),
            code=rows.dossier_code,
            **columns,
        ).order_by("code")  # a fixed order: the draws pick records by position
    )
    data = table.to_pydict()
    out: dict[str, Rows] = {}
    units = data["unit_code"]
    for code in sorted(set(units)):
        idx = [i for i, u in enumerate(units) if u == code]
        values = np.array(
            [
                [[int(data[f"s{s}_{i}"][r] or 0) for i in range(len(atoms))] for r in idx]
                for s in range(len(changes))
            ],
            dtype=np.int64,
        )
        received = np.array([day_index(data["received"][r]) or 0 for r in idx], dtype=np.int64)
        due = np.array(
            [-1 if data["due"][r] is None else day_index(data["due"][r]) or -1 for r in idx],
            dtype=np.int64,
        )
        calendar = HolidayCalendar.default()
        off = np.array([not calendar.is_working_day(data["received"][r]) for r in idx])
        out[code] = Rows([a.key for a in atoms], values, received, due, off)
    return out


def on_time_history(
    store: Store, now: datetime, window: timedelta
) -> dict[str, NDArray[np.float64]]:
    """Per unit, a 2 × 2 × len(:data:`BUCKETS`) array of the dossiers due in ``window``
    before ``now`` (those with more than one supplement request, late whatever is done,
    apart): ``[0]`` in progress — still open at noon each bucket's number of working days
    before their due day (half of those finished that day), received before it; ``[1]`` new — by the
    working days from receipt to due.  ``[·, 0]`` counts them, ``[·, 1]`` those finished
    on time."""
    t = store.table("dossiers")
    due = t.filter(
        (t.due_at >= now - window) & (t.due_at < now) & (t.supplement_count.fill_null(0) <= 1)
    )
    frame = store.to_pyarrow(
        due.select(
            unit_code=due.unit_code,
            received=due.received_at.date(),
            due=due.due_at.date(),
            finished=due.finished_at.date(),
            ok=due.finished_at.notnull() & (due.finished_at <= due.due_at),
        )
    ).to_pydict()
    out: dict[str, NDArray[np.float64]] = {}
    for code, received, due_day, finished, ok in zip(
        frame["unit_code"], frame["received"], frame["due"], frame["finished"],
        frame["ok"], strict=True,
    ):  # fmt: skip
        r, d = day_index(received), day_index(due_day)
        if r is None or d is None:
            continue
        f = day_index(finished) if finished is not None else None
        counts = out.setdefault(code, np.zeros((2, 2, len(BUCKETS))))
        for b, k in enumerate(BUCKETS):
            snapshot = d - k
            if r < snapshot and (f is None or f >= snapshot):
                weight = 0.5 if f == snapshot else 1.0  # finished that day: half by noon
                counts[0, :, b] += (weight, weight * bool(ok))
        counts[1, :, bucket_of(np.array([d - r]))[0]] += (1, bool(ok))
    return out


def drift(store: Store, now: datetime, months: int = 4) -> float:
    """How much a unit's on-time share moves from one month to the next, on the logit
    scale: the spread of the month-to-month changes of every unit's share (by due month,
    over the last ``months`` months), less what the number of dossiers alone explains."""
    t = store.table("dossiers")
    since = datetime(now.year, now.month, 1) - timedelta(days=31 * months)
    due = t.filter((t.due_at >= since) & (t.due_at < now) & (t.supplement_count.fill_null(0) <= 1))
    ok = (due.finished_at.notnull() & (due.finished_at <= due.due_at)).cast("int64")
    rows = store.to_pyarrow(
        due.group_by(unit_code=due.unit_code, month=due.due_at.truncate("M")).aggregate(
            n=due.count(), ok=ok.sum()
        )
    ).to_pylist()
    shares: dict[str, dict[Any, tuple[int, int]]] = {}
    for r in rows:
        shares.setdefault(r["unit_code"], {})[r["month"]] = (int(r["n"]), int(r["ok"] or 0))
    diffs, noise, level = [], [], []
    for code in sorted(shares):  # a fixed order: float sums depend on it
        months_of = shares[code]
        keys = sorted(months_of)
        for a, b in itertools.pairwise(keys):
            (na, oa), (nb, ob) = months_of[a], months_of[b]
            if na < 5 or nb < 5:
                continue
            pa, pb = oa / na, ob / nb
            diffs.append(pb - pa)
            noise.append(pa * (1 - pa) / na + pb * (1 - pb) / nb)
            level.append((pa + pb) / 2)
    if len(diffs) < 10:
        return 0.5
    step = max(float(np.var(diffs)) - float(np.mean(noise)), 0.0) ** 0.5
    p = min(max(float(np.mean(level)), 0.05), 0.95)
    return float(step / (p * (1 - p)))
