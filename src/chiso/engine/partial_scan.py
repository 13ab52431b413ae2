"""Run a partial-aggregate plan: one grouped scan, then per-period sums in numpy.

The scan groups a table's rows by unit and by the boundary codes of the
expressions its atoms compare with period variables
(:mod:`chiso.compile.partial_plan`).  Every period is then a choice, per group and
atom, of one of the group's partial aggregates, summed per unit with exact
integer arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt

from chiso.compile.compiler import RowCompiler
from chiso.compile.partial_plan import Coded, Leaf, PartialPlan
from chiso.domain.periods import Period
from chiso.engine.evaluate import Exact

IntArray = npt.NDArray[np.int64]
Values = dict[tuple[int, str], dict[str, Exact]]


def boundaries(plan: PartialPlan, periods: Sequence[Period]) -> list[list[Any]]:
    """Sorted distinct values of the period variables each coded expression meets."""
    out: list[set[Any]] = [set() for _ in plan.coded]
    for leaf in plan.leaves:
        if leaf.op == "null":
            continue
        on_dates = plan.coded[leaf.coded].on_dates
        for period in periods:
            instant = _variable(period, leaf.var)
            out[leaf.coded].add(instant.date() if on_dates else instant)
    return [sorted(values) for values in out]


def _variable(period: Period, var: str) -> datetime:
    return {"period_start": period.start, "period_end": period.end, "as_of": period.as_of}[var]


def code_expr(value: Any, bounds: Sequence[Any], coded: Coded, *, nullable: bool) -> Any:
    """The boundary code of ``value`` as a binary search of CASE expressions.

    ``full``: ``2·#{b < value} + #{b = value}``; ``le``: ``#{b ≤ value}``;
    ``lt``: ``#{b < value}``; -1 for null.
    """
    kind = "date" if coded.on_dates else "timestamp"
    scale = 2 if coded.mode == "full" else 1

    def build(lo: int, hi: int) -> Any:
        if lo == hi:
            return ibis.literal(scale * lo, type="int16")
        mid = (lo + hi) // 2
        bound = ibis.literal(bounds[mid], type=kind)
        if coded.mode == "full":
            return ibis.cases(
                (value < bound, build(lo, mid)),
                (value == bound, ibis.literal(2 * mid + 1, type="int16")),
                else_=build(mid + 1, hi),
            )
        left = value < bound if coded.mode == "le" else value <= bound
        return ibis.cases((left, build(lo, mid)), else_=build(mid + 1, hi))

    code = build(0, len(bounds))
    if nullable:
        return ibis.cases((value.isnull(), ibis.literal(-1, type="int16")), else_=code)
    return code


def grouped_query(
    table: ir.Table,
    compiler: RowCompiler,
    plan: PartialPlan,
    bounds: list[list[Any]],
    *,
    extra_keys: Sequence[str] = (),
) -> ir.Table:
    """The scan: group by unit and codes (and ``extra_keys``), one conditional aggregate
    per partial."""
    codes = {}
    for i, coded in enumerate(plan.coded):
        value = compiler.value(coded.node)
        nullable = compiler.nullable(coded.node)
        codes[f"_k{i}"] = code_expr(value, bounds[i], coded, nullable=nullable)
    aggs: dict[str, Any] = {}
    for i, partial in enumerate(plan.partials):
        where = compiler.condition(partial.where) if partial.where is not None else None
        if partial.kind == "count":
            aggs[f"_p{i}"] = table.count(where=where)
        else:
            assert partial.value is not None
            aggs[f"_p{i}"] = ibis.coalesce(compiler.value(partial.value).sum(where=where), 0)
    keys = [
        table.group_unit,
        *(code.name(name) for name, code in codes.items()),
        *(table[k] for k in extra_keys),
    ]
    return table.group_by(keys).aggregate(**aggs)


_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def _leaf_truths(
    leaf: Leaf, coded: Coded, codes: IntArray, bounds: Sequence[Any], instants: Sequence[Any]
) -> Any:
    """Whether each group passes ``leaf``, for each instant: (instants, groups)."""
    if leaf.op == "null":
        return np.broadcast_to(codes < 0, (len(instants), len(codes)))
    k = np.array([bounds.index(instant) for instant in instants], dtype=np.int64)[:, None]
    if coded.mode != "full":  # le: x < b_k ⇔ #{b ≤ x} ≤ k; lt: x <= b_k ⇔ #{b < x} ≤ k
        below = leaf.op in ("<", "<=")
        return (codes <= k) & (codes >= 0) if below else codes >= k + 1
    return _COMPARE[leaf.op](codes, 2 * k + 1) & (codes >= 0)


def group_keys(plan: PartialPlan) -> list[str]:
    """The grouping columns of :func:`grouped_query`'s result."""
    return ["group_unit", *(f"_k{i}" for i in range(len(plan.coded)))]


#: Periods recombined at once (bounds the (periods × groups) arrays).
PERIOD_CHUNK = 32


def combine(
    arrow: Any, plan: PartialPlan, bounds: list[list[Any]], periods: Sequence[Period]
) -> Values:
    """Sum, per period and unit, the partial each group takes for each atom."""
    names = group_keys(plan)[1:]
    arrow = arrow.sort_by("group_unit")
    units = arrow.column("group_unit").to_numpy(zero_copy_only=False)
    codes = [arrow.column(n).to_numpy(zero_copy_only=False).astype(np.int64) for n in names]
    rows = len(units)
    partials = np.zeros((rows, len(plan.partials) + 1), dtype=np.int64)
    for i in range(len(plan.partials)):
        partials[:, i] = arrow.column(f"_p{i}").fill_null(0).to_numpy().astype(np.int64)
    values: Values = {}
    if rows == 0:
        return values
    starts = np.flatnonzero(np.r_[True, units[1:] != units[:-1]])
    unit_codes = [str(u) for u in units[starts]]
    keys = [atom.key for atom in plan.atoms]
    for first in range(0, len(periods), PERIOD_CHUNK):
        chunk = periods[first : first + PERIOD_CHUNK]
        sums = _chunk_sums(plan, codes, bounds, chunk, partials, starts)
        for pid, per_unit in enumerate(sums, start=first):
            for unit, row in zip(unit_codes, per_unit, strict=True):
                values[(pid, unit)] = dict(zip(keys, row, strict=True))
    return values


def _chunk_sums(
    plan: PartialPlan,
    codes: list[IntArray],
    bounds: list[list[Any]],
    periods: Sequence[Period],
    partials: IntArray,
    starts: IntArray,
) -> list[list[list[int]]]:
    """Per period, unit and atom: the sum of the partial each group takes."""
    truths = []
    for leaf in plan.leaves:
        coded: Coded = plan.coded[leaf.coded]
        instants = []
        for period in periods:
            at = _variable(period, leaf.var) if leaf.var else period.start
            instants.append(at.date() if coded.on_dates else at)
        truths.append(_leaf_truths(leaf, coded, codes[leaf.coded], bounds[leaf.coded], instants))
    rows = partials.shape[0]
    index = np.arange(rows)[None, :]
    sums = np.empty((len(periods), len(starts), len(plan.atoms)), dtype=np.int64)
    for j, atom in enumerate(plan.atoms):
        assignment = np.zeros((len(periods), rows), dtype=np.int64)
        for bit, position in enumerate(atom.leaves):
            assignment |= truths[position].astype(np.int64) << bit
        chosen = partials[index, np.array(atom.columns, dtype=np.int64)[assignment]]
        sums[:, :, j] = np.add.reduceat(chosen, starts, axis=1)
    return sums.tolist()  # type: ignore[no-any-return]
