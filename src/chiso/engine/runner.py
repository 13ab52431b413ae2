"""Score an index set for units and periods: ``score(store, index_set, periods, level)``.

The runner chooses the units (level, validity in the period), runs the atoms
on the store's engine (:mod:`chiso.engine.measures`), applies manual values,
reported scores, applicability and zero-denominator rules, decides which units have
data (:mod:`chiso.engine.coverage`), and totals, converts, classifies and ranks
(:mod:`chiso.engine.totals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from chiso.compile.compiler import Atom, index_set_atoms
from chiso.domain.periods import Period
from chiso.domain.units import Unit, UnitTree
from chiso.engine.assemble import Inputs, unit_results
from chiso.engine.carried import carry_down
from chiso.engine.coverage import active_periods, activity_atom
from chiso.engine.measures import run_atoms
from chiso.engine.results import ResultSet, UnitResult
from chiso.engine.totals import result_set
from chiso.errors import UserError
from chiso.i18n import _
from chiso.spec.canonical import IndexSet
from chiso.storage.store import Store
from chiso.storage.unitdata import tree_of

AGGREGATE_KINDS = ("tinh", "huyen")


@dataclass(frozen=True)
class Level:
    """Which units to score: ``all``, ``kind:xa,phuong``, ``subtree:CODE``, ``units:A,B``,
    ``province``."""

    kind: str
    values: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Level:
        """Parse the ``--level`` option."""
        name, _sep, rest = text.partition(":")
        values = tuple(v.strip() for v in rest.split(",") if v.strip())
        if name in ("all", "province") and not values:
            return cls(name)
        if name in ("kind", "subtree", "units") and values:
            return cls(name, values)
        raise UserError(
            _("unknown level “{text}”").format(text=text),
            hint=_("use all, province, kind:xa,phuong, subtree:UNIT_CODE or units:CODE,CODE"),
        )


def _valid_in(unit: Unit, period: Period) -> bool:
    first = period.start.date()
    return unit.valid_from <= period.last_day and (unit.valid_to is None or unit.valid_to >= first)


def select_units(tree: UnitTree, level: Level, period: Period) -> list[Unit]:
    """The units of ``level`` that exist during ``period``."""
    on = min(period.end - timedelta(microseconds=1), period.as_of).date()
    units = [u for u in tree if _valid_in(u, period)]
    if level.kind == "all":
        return [u for u in units if u.kind.value not in AGGREGATE_KINDS]
    if level.kind == "province":
        return [u for u in units if u.kind.value == "tinh"]
    if level.kind == "kind":
        return [u for u in units if u.kind.value in level.values]
    if level.kind == "units":
        return [tree.get(code) for code in level.values]
    inside: set[str] = set()
    for root in level.values:
        inside |= {u.unit_code for u in tree.descendants(tree.get(root).unit_code, on=on)}
    return [u for u in units if u.unit_code in inside]


def _lookup(
    store: Store, table: str, index_set: IndexSet, periods: Sequence[Period]
) -> dict[tuple[str, str, str], float | None]:
    if not store.has(table):
        return {}
    t = store.table(table)
    value_col = "value" if table == "manual_values" else "points"
    expr = t.filter(
        (t.index_set == index_set.id) & t.period.isin([p.code for p in periods])
    ).select("unit_code", "period", "indicator", value_col)
    rows = store.to_pyarrow(expr).to_pylist()
    return {(r["unit_code"], r["period"], r["indicator"]): r[value_col] for r in rows}


def score(
    store: Store,
    index_set: IndexSet,
    periods: Sequence[Period],
    *,
    level: Level | None = None,
    tree: UnitTree | None = None,
    pooled: bool = False,
) -> list[ResultSet]:
    """Score every unit of ``level`` in every period (one query per table for all).

    Args:
        pooled: count each unit's whole subtree (766 province-style), whatever
            the index set's aggregation says.
    """
    level = level or Level("all")
    tree = tree or tree_of(store)
    if pooled or level.kind == "province":
        groups = tuple(
            replace(g, indicators=tuple(replace(i, aggregation="subtree") for i in g.indicators))
            for g in index_set.groups
        )
        index_set = replace(index_set, groups=groups)
    selected = {p.code: select_units(tree, level, p) for p in periods}
    codes = sorted({u.unit_code for units in selected.values() for u in units})
    inputs = inputs_for(store, index_set, periods, codes, tree)
    active = active_periods(
        index_set, inputs.values, [[u.unit_code for u in selected[p.code]] for p in periods]
    )
    out = []
    for pid, period in enumerate(periods):
        units = unit_results(
            index_set, selected[period.code], period, pid, inputs, active=active[pid]
        )
        out.append(
            result_set(index_set, period=period.code, period_label=period.label, units=units)
        )
    return out


def inputs_for(
    store: Store,
    index_set: IndexSet,
    periods: Sequence[Period],
    codes: Sequence[str],
    tree: UnitTree,
    extra: Sequence[Atom] = (),
) -> Inputs:
    """What scoring ``codes`` in ``periods`` reads: the index set's atoms (and ``extra``
    atoms, for what-if questions) per (period index, unit), manual values and reported
    points."""
    on = max(p.start for p in periods).date()
    closure = [(m, a) for m, a in tree.closure(on=on) if a in set(codes)]
    # Every unit whose records can count (pooled members too) is paired with the
    # procedures of its competence level.
    members = set(codes) | {m for m, _ in closure}
    competence_map = dict(index_set.competence)
    competence = {
        c: competence_map[tree.get(c).kind.value]
        for c in sorted(members)
        if tree.get(c).kind.value in competence_map
    }
    atoms = [*index_set_atoms(index_set), *extra]
    gate = activity_atom(index_set)
    if gate is not None and store.has("dossiers") and gate.key not in {t.key for t in atoms}:
        atoms.append(gate)
    return Inputs(
        run_atoms(
            store,
            atoms,
            periods,
            unit_codes=list(codes),
            closure=closure,
            competence=competence,
        ),
        carry_down(
            _lookup(store, "manual_values", index_set, periods), index_set, periods, codes, tree
        ),
        _lookup(store, "reported_scores", index_set, periods),
    )


def score_one(store: Store, index_set: IndexSet, period: Period, **kwargs: object) -> ResultSet:
    """Score a single period."""
    return score(store, index_set, [period], **kwargs)[0]  # type: ignore[arg-type]


__all__ = ["Level", "ResultSet", "UnitResult", "score", "score_one", "select_units"]
