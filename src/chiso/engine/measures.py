"""Run the atoms of an index set as grouped queries, one per table and mode.

Atoms that are counts or integer sums whose conditions meet the periods only
through comparisons with period variables are computed from one scan grouped
by unit and period-boundary codes, then combined per period in numpy
(:mod:`chiso.compile.partial_plan`, :mod:`chiso.engine.partial_scan`).  The other
atoms (``count_distinct``, float sums, other uses of period variables) see
every period as a row of a small periods table cross-joined to the records.
Either way a whole year of months is one query per table.  With pooled
(``subtree``) aggregation a record counts for its unit and every ancestor
through the unit closure table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from chiso.compile.compiler import (
    Atom,
    RowCompiler,
    all_of,
    column_name,
    referenced_columns,
    working_day_index,
    working_day_names,
)
from chiso.compile.partial_plan import PartialPlan, plan_partials
from chiso.domain.periods import Period
from chiso.domain.records import MEASURE_TABLES, PERIOD_VARIABLES, REQUIRED
from chiso.engine.evaluate import Exact
from chiso.engine.partial_scan import boundaries, combine, group_keys, grouped_query
from chiso.engine.workdays import day_index, with_day_indexes
from chiso.spec.formula import Call, Node, render
from chiso.storage.cubes import PART, part_identity, query_key
from chiso.storage.store import Store

AtomValues = dict[tuple[int, str], dict[str, Exact]]  # (period_id, unit) → atom key → value


def period_day_indexes(period: Period) -> dict[str, int | None]:
    """The calendar indexes of a period's variables (``working_days`` arguments)."""
    instants = {"period_start": period.start, "period_end": period.end, "as_of": period.as_of}
    return {working_day_index(name): day_index(value) for name, value in instants.items()}


def periods_table(periods: Sequence[Period], *, days: bool = False) -> ir.Table:
    """The periods of a run as a small table (``days``: with their calendar indexes)."""
    columns: dict[str, list[Any]] = {
        "period_id": list(range(len(periods))),
        "period_start": [p.start for p in periods],
        "period_end": [p.end for p in periods],
        "as_of": [p.as_of for p in periods],
    }
    for p in periods if days else ():
        for key, index in period_day_indexes(p).items():
            columns.setdefault(key, []).append(index)
    frame = pd.DataFrame(columns).astype(
        {
            "period_start": "datetime64[us]",
            "period_end": "datetime64[us]",
            "as_of": "datetime64[us]",
            **{key: "Int64" for key in columns if key.endswith("__wdi")},
        }
    )
    return ibis.memtable(frame)


def base_table(
    store: Store,
    table: str,
    needed: set[str],
    days: Iterable[str] = (),
    *,
    source: ir.Table | None = None,
) -> ir.Table:
    """The table with the joined columns the formulas read (``procedure.*``, ``rating.*``)
    and the calendar indexes of the ``days`` columns (``working_days`` arguments).

    Args:
        source: the table's rows to use instead of the store's whole table.
    """
    whole = source is None
    base = _joined(store, table, needed, store.table(table) if whole else source, whole=whole)
    record_days = [name for name in days if name not in PERIOD_VARIABLES]
    return with_day_indexes(base, record_days) if record_days else base


def _joined(store: Store, table: str, needed: set[str], base: ir.Table, *, whole: bool) -> ir.Table:
    """``base`` with the procedure and latest-rating columns the formulas read (``whole``
    False: ``base`` is a few parts, so only their dossiers' ratings are grouped)."""
    if table != "dossiers":
        return base
    proc_cols = sorted(n.split(".", 1)[1] for n in needed if n.startswith("procedure."))
    if proc_cols:
        procs = store.table("procedures")
        procs = procs.select(
            procedure_code_j=procs.procedure_code,
            **{column_name(f"procedure.{c}"): procs[c] for c in proc_cols},
        )
        base = base.left_join(procs, base.procedure_code == procs.procedure_code_j).drop(
            "procedure_code_j"
        )
    if any(n.startswith("rating.") for n in needed):
        ratings = store.table("ratings")
        if not whole:
            ratings = ratings.filter(ratings.dossier_code.isin(base.dossier_code))
        latest = ratings.group_by(rating_dossier=ratings.dossier_code).aggregate(
            rating__satisfied=ratings.satisfied.cast("int32").min() == 1,
            rating__rated_at=ratings.rated_at.max(),
        )
        base = base.left_join(latest, base.dossier_code == latest.rating_dossier).drop(
            "rating_dossier"
        )
    return base


def _grouped(
    store: Store,
    table: str,
    aggregation: str,
    needed: set[str],
    unit_codes: Sequence[str],
    closure: Sequence[tuple[str, str]],
    competence: dict[str, str],
    days: set[str],
    source: ir.Table | None = None,
) -> ir.Table:
    base = base_table(store, table, needed, days, source=source)
    if table == "procedures":
        pairs = ibis.memtable(
            pd.DataFrame({"unit_code": list(competence), "competence": list(competence.values())})
        )
        base = base.join(pairs, base.level == pairs.competence).drop("competence")
    if aggregation == "subtree":
        links = ibis.memtable(pd.DataFrame(closure, columns=["member", "group_unit"]))
        base = base.join(links, base.unit_code == links.member).drop("member")
    else:
        base = base.mutate(group_unit=base.unit_code)
    return base.filter(base.group_unit.isin(list(unit_codes)))


@dataclass(frozen=True)
class _Source:
    """The atoms of one table and aggregation mode, and the units they are counted for."""

    store: Store
    table: str
    aggregation: str
    atoms: Sequence[Atom]
    unit_codes: Sequence[str]
    closure: Sequence[tuple[str, str]]
    competence: dict[str, str]

    @property
    def types(self) -> dict[str, Any]:
        return {**MEASURE_TABLES[self.table], **PERIOD_VARIABLES}

    @cached_property
    def filtered(self) -> ir.Table:
        """:meth:`rows` of the whole table (built when first needed: a score read from
        stored cubes builds no query)."""
        return self.rows()

    def rows(self, source: ir.Table | None = None) -> ir.Table:
        """The table's rows (``source``: some of them) joined, paired with the units
        they count for (``group_unit``)."""
        return _grouped(
            self.store, self.table, self.aggregation, referenced_columns(self.atoms),
            self.unit_codes, self.closure, self.competence, working_day_names(self.atoms),
            source,
        )  # fmt: skip

    def compiler(self, rows: ir.Table) -> RowCompiler:
        non_null = {*PERIOD_VARIABLES, *REQUIRED[self.table], "group_unit"}
        return RowCompiler(rows, self.types, non_null=non_null)


def run_atoms(
    store: Store,
    atoms: Sequence[Atom],
    periods: Sequence[Period],
    *,
    unit_codes: Sequence[str],
    closure: Sequence[tuple[str, str]],
    competence: dict[str, str],
    partials: bool = True,
) -> AtomValues:
    """Compute every atom for every (period, unit) and return exact values.

    Args:
        partials: compute the atoms that decompose from one scan without the
            periods cross join (:mod:`chiso.engine.partial_scan`); False sends every
            atom through the cross join (the reference the tests compare with).
    """
    by_source: dict[tuple[str, str], list[Atom]] = defaultdict(list)
    for atom in atoms:
        by_source[(atom.table, atom.aggregation)].append(atom)
    values: AtomValues = defaultdict(dict)
    if not unit_codes:
        return values
    for (table, aggregation), group in by_source.items():
        src = _Source(store, table, aggregation, group, unit_codes, closure, competence)
        plan, rest = _plan(src, group if partials else [])
        rest = rest if partials else group
        if plan.atoms:
            planned = _partial_values(src, plan, plan_atoms(group, rest), periods)
            for where, found in planned.items():
                values[where].update(found)
        if rest:
            days = bool(working_day_names(group))
            joined = src.filtered.cross_join(periods_table(periods, days=days))
            frame = store.to_pyarrow(_aggregate(joined, src.compiler(joined), rest)).to_pylist()
            for row in frame:
                cell = values[(int(row["period_id"]), str(row["group_unit"]))]
                for i, atom in enumerate(rest):
                    cell[atom.key] = _exact(row[f"a{i}"])
    return values


def _partial_values(
    src: _Source,
    plan: PartialPlan,
    atoms: Sequence[Atom],
    periods: Sequence[Period],
) -> AtomValues:
    """The planned atoms from one grouped scan, or from the folder's stored cubes."""
    bounds = boundaries(plan, periods)

    def scan(rows: ir.Table, extra: Sequence[str] = ()) -> Any:
        compiler = src.compiler(rows)
        relevant = _relevant(compiler, atoms, periods)
        if relevant is not None:
            rows = rows.filter(relevant)
            compiler = src.compiler(rows)
        return src.store.to_pyarrow(grouped_query(rows, compiler, plan, bounds, extra_keys=extra))

    query = (
        src.aggregation, plan.coded, plan.partials, bounds,
        [(p.start, p.end, p.as_of) for p in periods], sorted(referenced_columns(src.atoms)),
        list(src.unit_codes), list(src.closure), sorted(src.competence.items()),
    )  # fmt: skip
    key = _cube_key(src.store, src.table, working_day_names(src.atoms), query)
    cubes = src.store.cubes
    if key is None or cubes is None:
        return combine(scan(src.filtered), plan, bounds, periods)
    arrow = cubes.grouped(
        key,
        src.store.files[src.table][1],
        lambda parts: scan(src.rows(src.store.parts_table(src.table, parts)), (PART,)),
        group_keys(plan),
    )
    return combine(arrow, plan, bounds, periods)


def _cube_key(store: Store, table: str, days: Iterable[str], query: object) -> str | None:
    """The identity of a grouped scan whose result can be kept per part (None: not kept).

    Kept for Parquet tables of folders, when no formula counts working days (the
    holiday calendar is not part of the identity).  The engine and the files of the
    tables joined to dossiers are part of it.
    """
    if store.cubes is None or any(days) or store.files.get(table, ("", []))[0] != "parquet":
        return None
    joined = ("procedures", "ratings") if table == "dossiers" else ()
    files = [part_identity(path) for name in joined for path in store.files.get(name, ("", []))[1]]
    return query_key(store.backend, table, files, query)


def _relevant(compiler: RowCompiler, atoms: Sequence[Atom], periods: Sequence[Period]) -> Any:
    """For a single period: the rows that pass some atom's first filter (None: no filter).

    A live or month-to-date score then joins and groups only the rows of its
    period; over many periods nearly every row counts and the test would cost
    more than it saves.
    """
    if len(periods) != 1:
        return None
    firsts: dict[str, Node] = {}
    for atom in atoms:
        first = atom.where if atom.where is not None else next(_filters(atom.call), None)
        if first is None:
            return None
        firsts.setdefault(render(first), first)
    period = periods[0]
    bound = RowCompiler(
        compiler.table,
        compiler.types,
        non_null=compiler.non_null,
        constants={
            "period_start": ibis.literal(period.start, type="timestamp"),
            "period_end": ibis.literal(period.end, type="timestamp"),
            "as_of": ibis.literal(period.as_of, type="timestamp"),
            **{k: ibis.literal(v, type="int64") for k, v in period_day_indexes(period).items()},
        },
    )
    return _any([bound.condition(node) for node in firsts.values()])


def plan_atoms(atoms: Sequence[Atom], rest: Sequence[Atom]) -> list[Atom]:
    """The atoms computed from partial aggregates (those not left to the cross join)."""
    return [atom for atom in atoms if atom not in rest]


def _filters(call: Node) -> Iterator[Node]:
    assert isinstance(call, Call)
    yield from call.args if call.name == "count" else call.args[1:]


_PLANS: dict[tuple[str, ...], tuple[PartialPlan, list[Atom]]] = {}


def _types_only() -> Store:
    """A store whose every table is empty, of the canonical types (never connected)."""
    return Store("duckdb", "types", lambda: None)


def _plan(src: _Source, atoms: Sequence[Atom]) -> tuple[PartialPlan, list[Atom]]:
    """The partial-aggregate plan of a table's atoms (planned once per process).

    A plan depends on the columns' types only: it is made over empty tables of the
    canonical types, so planning reads no data (a score from stored cubes in a new
    process opens no connection; on PostgreSQL it copies no table).
    """
    key = (src.table, src.aggregation, *(a.key for a in atoms))
    if key not in _PLANS:
        typed = replace(src, store=_types_only())
        compiler = typed.compiler(typed.filtered)
        _PLANS[key] = plan_partials(
            atoms,
            compiler.types,
            integral=lambda node: bool(compiler.value(node).type().is_integer()),
        )
    return _PLANS[key]


def _aggregate(joined: ir.Table, compiler: RowCompiler, atoms: Sequence[Atom]) -> ir.Table:
    """One grouped query for all atoms, each distinct condition computed once per row.

    Conditions become boolean columns of a projection; rows that pass no atom's
    filter are dropped before grouping; each atom is then a filtered aggregate
    over those columns.
    """
    conditions: dict[str, tuple[str, Any]] = {}

    def column_for(node: Node) -> str:
        key = render(node)
        if key not in conditions:
            conditions[key] = (f"_c{len(conditions)}", compiler.condition(node))
        return conditions[key][0]

    plan: list[tuple[str, list[str], Any]] = []
    for atom in atoms:
        call = atom.call
        filters = [column_for(atom.where)] if atom.where is not None else []
        value = None
        if call.name == "count":
            filters += [column_for(a) for a in call.args]
        else:
            value = compiler.value(call.args[0])
            filters += [column_for(a) for a in call.args[1:]]
        plan.append((call.name, filters, value))
    values = {f"_v{i}": v for i, (_, _, v) in enumerate(plan) if v is not None}
    prepared = joined.mutate(**dict(conditions.values()), **values)
    if all(filters for _, filters, _ in plan):
        first_filters = {filters[0] for _, filters, _ in plan}
        prepared = prepared.filter(_any([prepared[c] for c in sorted(first_filters)]))
    aggs: dict[str, Any] = {}
    for i, (name, filters, _) in enumerate(plan):
        where = all_of([prepared[c] for c in filters])
        if name == "count":
            aggs[f"a{i}"] = prepared.count(where=where)
        elif name == "sum":
            aggs[f"a{i}"] = ibis.coalesce(prepared[f"_v{i}"].sum(where=where), 0)
        else:
            aggs[f"a{i}"] = prepared[f"_v{i}"].nunique(where=where)
    return prepared.group_by(["period_id", "group_unit"]).aggregate(**aggs)


def _any(columns: list[Any]) -> Any:
    result = columns[0]
    for column in columns[1:]:
        result = result | column
    return result


def _exact(value: Any) -> Fraction:
    if value is None:
        return Fraction(0)
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)
