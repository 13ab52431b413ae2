"""Explain an indicator: the records in its numerator and denominator.

For one unit, period and indicator, every record of the measure's table that
passes the filter is evaluated row by row: each aggregate atom becomes that
row's contribution (``count(c)`` → 1 when ``c`` holds, ``sum(e, c)`` → ``e``),
and the measure value is evaluated on those contributions.  A record *costs
points* when it counts more in the denominator than in the numerator — the
late dossier, the one paid in cash, the unsatisfied rating.

A dossier or a petition row also says where it stands against its due time
(:mod:`chiso.domain.progress`: ``progress``, its label, ``late_working_days`` when late,
counted on the holiday calendar as the "sắp quá hạn" list counts days left), and a dossier
row its procedure's name from the ``procedures`` catalogue; those come first in
``columns``, before the columns the formulas read, with the due and finish times after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import ibis

from chiso.compile.compiler import RowCompiler, atoms_of, referenced_columns, working_day_names
from chiso.contracts.explain import Explanation as ExplanationDoc
from chiso.contracts.explain import Record
from chiso.domain.calendar import HolidayCalendar
from chiso.domain.labels import PROGRESS
from chiso.domain.periods import Period
from chiso.domain.progress import progress
from chiso.domain.records import KEYS, MEASURE_TABLES, PERIOD_VARIABLES, TABLES
from chiso.engine.due import procedures_by_code
from chiso.engine.measures import base_table, periods_table
from chiso.engine.results import UnitResult
from chiso.engine.runner import Level, score_one
from chiso.errors import UserError
from chiso.i18n import _
from chiso.spec.canonical import IndexSet, Measure
from chiso.spec.formula import AGGREGATES, Binary, Call, Literal, Node, Unary
from chiso.spec.typecheck import did_you_mean
from chiso.storage.store import Store


@dataclass
class Explanation:
    """Records behind one indicator of one unit in one period."""

    unit_code: str
    unit_name: str
    period: str
    indicator: str
    label: str
    description: str | None
    result: Any
    columns: list[str]
    in_denominator: int = 0
    in_numerator: Fraction = Fraction(0)
    costing: list[dict[str, Any]] = field(default_factory=list)
    counted: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None
    #: Records that cost points and records that count, all of them (the lists stop at
    #: ``limit``); with ``keep``, those it keeps.
    costing_total: int = 0
    counted_total: int = 0

    def contract(self) -> ExplanationDoc:
        """This explanation as its JSON contract (:class:`chiso.contracts.explain.Explanation`)."""
        return ExplanationDoc(
            unit_code=self.unit_code,
            unit_name=self.unit_name,
            period=self.period,
            indicator=self.indicator,
            label=self.label,
            description=self.description,
            result=self.result.contract() if self.result is not None else None,
            records_in_denominator=self.in_denominator,
            records_costing_points=self.costing_total,
            records_counted=self.counted_total,
            costing_points=[Record.model_validate(_json_row(r)) for r in self.costing],
            counted=[Record.model_validate(_json_row(r)) for r in self.counted],
            note=self.note or None,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON shape of ``chiso explain --format json``."""
        return self.contract().dump()


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat(sep=" ") if hasattr(v, "isoformat") else v) for k, v in row.items()}


def _row_value(node: Node, atoms: dict[int, Fraction]) -> Fraction:
    match node:
        case Literal(value=Decimal() as d):
            return Fraction(d)
        case Unary(op="-", operand=operand):
            return -_row_value(operand, atoms)
        case Binary(op=op, left=left, right=right):
            a, b = _row_value(left, atoms), _row_value(right, atoms)
            return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else Fraction(0)}[op]
        case Call() if node.name in AGGREGATES:
            return atoms[id(node)]
    raise AssertionError(f"not a measure value: {node!r}")


def _contributions(
    store: Store, measure: Measure, unit_code: str, period: Period
) -> tuple[list[dict[str, Any]], list[Fraction]]:
    atoms = atoms_of(measure, "own")
    days = working_day_names(atoms)
    base = base_table(store, measure.table, referenced_columns(atoms), days)
    if "unit_code" in base.columns:
        base = base.filter(base.unit_code == unit_code)
    joined = base.cross_join(periods_table([period], days=bool(days)))
    compiler = RowCompiler(joined, {**MEASURE_TABLES[measure.table], **PERIOD_VARIABLES})
    if measure.where is not None:
        joined = joined.filter(compiler.condition(measure.where))
        compiler = RowCompiler(joined, compiler.types)
    extra = {}
    for i, atom in enumerate(atoms):
        call = atom.call
        if call.name == "count":
            cond = compiler.condition(call.args[0]) if call.args else ibis.literal(True)
            extra[f"_a{i}"] = ibis.cases((cond, 1), else_=0)
        elif call.name == "sum":
            value = compiler.value(call.args[0])
            cond = compiler.condition(call.args[1]) if len(call.args) == 2 else ibis.literal(True)
            extra[f"_a{i}"] = ibis.cases((cond, value), else_=0)
        else:
            extra[f"_a{i}"] = ibis.literal(1)
    columns = [c for c in TABLES[measure.table] if c in joined.columns]
    expr = joined.select(*columns, **extra).order_by([joined[c] for c in KEYS[measure.table]])
    rows = store.to_pyarrow(expr).to_pylist()
    values = []
    for row in rows:
        by_node = {id(a.call): Fraction(str(row.pop(f"_a{i}") or 0)) for i, a in enumerate(atoms)}
        values.append(_row_value(measure.value, by_node))
    return rows, values


@dataclass
class _Remembered:
    """A calendar's working-day counts, each pair of days counted once (the records of a
    list share their due days and the evaluation day)."""

    calendar: HolidayCalendar
    seen: dict[tuple[date, date], int] = field(default_factory=dict)

    def working_days_between(self, a: date, b: date) -> int:
        if (a, b) not in self.seen:
            self.seen[a, b] = self.calendar.working_days_between(a, b)
        return self.seen[a, b]


#: The tables whose records have a due time, and the column that says when one was done.
FINISHED = {"dossiers": "finished_at", "petitions": "handled_at"}


def _described(
    store: Store, table: str, rows: list[dict[str, Any]], as_of: Any, calendar: HolidayCalendar
) -> list[dict[str, Any]]:
    """``rows`` with their procedure's name (dossiers) and their progress (dossiers,
    petitions: :func:`chiso.domain.progress.progress` at ``as_of``)."""
    finish = FINISHED.get(table)
    if finish is None:
        return rows
    names: dict[str, str | None] = {}
    if table == "dossiers":
        found = procedures_by_code(store, {r["procedure_code"] for r in rows})
        names = {code: name for code, (name, _) in found.items()}
    out = []
    days = _Remembered(calendar)
    for row in rows:
        state = progress(
            row.get("due_at"),
            row.get(finish),
            as_of=as_of,
            calendar=days,
            supplement_count=row.get("supplement_count"),
        )
        extra: dict[str, Any] = {
            "progress": state.code,
            "progress_label": PROGRESS[state.code],
            "late_working_days": state.late_working_days,
        }
        if table == "dossiers":
            extra = {"procedure_name": names.get(row["procedure_code"]), **extra}
        out.append({**row, **extra})
    return out


def _shown_columns(table: str, read: list[str]) -> list[str]:
    """The columns a person reads: the key, then (dossiers, petitions) the procedure and
    the progress, the formulas' columns, the due and finish times."""
    finish = FINISHED.get(table)
    if finish is None:
        return read
    lead = read[:1]
    if table == "dossiers":
        lead += ["procedure_code", "procedure_name"]
    lead += ["progress", "late_working_days"]
    middle = [c for c in read if c not in lead]
    return lead + middle + [c for c in ("due_at", finish) if c not in middle]


def _relevant_columns(*measures: Measure) -> list[str]:
    """The record's key and the columns its formulas read, in table order."""
    table = measures[-1].table
    read: set[str] = set()
    for measure in measures:
        read |= referenced_columns(atoms_of(measure, "own"))
    keys = list(KEYS[table][:1])
    return keys + [c for c in TABLES[table] if c in read and c not in keys]


def explain(
    store: Store,
    index_set: IndexSet,
    period: Period,
    unit_code: str,
    indicator_code: str,
    *,
    limit: int = 50,
    keep: Callable[[dict[str, Any]], bool] | None = None,
    calendar: HolidayCalendar | None = None,
) -> Explanation:
    """Explain ``indicator_code`` for ``unit_code`` in ``period``.

    ``keep`` (a row → whether to list it) filters both lists before ``limit``, on the
    rows as listed (with their procedure's name and progress); ``calendar`` counts the
    working days late (default: :meth:`HolidayCalendar.default`, as the due list).
    """
    try:
        indicator = index_set.indicator(indicator_code)
    except KeyError:
        codes = [i.code for i in index_set.indicators]
        raise UserError(
            _("index set {id} has no indicator “{indicator_code}”").format(
                id=index_set.id, indicator_code=indicator_code
            ),
            hint=did_you_mean(indicator_code, codes) or ", ".join(codes),
        ) from None
    result: UnitResult = score_one(
        store, index_set, period, level=Level("units", (unit_code,))
    ).units[0]
    out = Explanation(
        unit_code,
        result.name,
        period.code,
        indicator.code,
        indicator.full_label,
        indicator.description,
        result.indicator(indicator.code),
        [],
    )
    if indicator.numerator is None or indicator.denominator is None:
        out.note = _(
            "indicator entered by hand or taken from a report: no dossier stands behind the score"
        )
        return out
    den_rows, den_values = _contributions(store, indicator.denominator, unit_code, period)
    num_rows, num_values = _contributions(store, indicator.numerator, unit_code, period)
    key = KEYS[indicator.numerator.table][0]
    num_by_key = {r[key]: v for r, v in zip(num_rows, num_values, strict=True)}
    table = indicator.denominator.table
    read = _relevant_columns(indicator.numerator, indicator.denominator)
    out.columns = _shown_columns(table, read)
    out.in_denominator = len(den_rows)
    out.in_numerator = sum(num_values, Fraction(0))
    rows = _described(store, table, den_rows, period.as_of, calendar or HolidayCalendar.default())
    for row, den in zip(rows, den_values, strict=True):
        if keep is not None and not keep(row):
            continue
        costs = num_by_key.get(row.get(key), Fraction(0)) < den
        target = out.costing if costs else out.counted
        if costs:
            out.costing_total += 1
        else:
            out.counted_total += 1
        if len(target) < limit:
            target.append(row)
    if any(received_elsewhere(r) for r in (*out.costing, *out.counted)):
        out.columns.append("receiving_point")  # counted for the unit, received elsewhere
    return out


def received_elsewhere(row: dict[str, Any]) -> bool:
    """Whether a dossier row was received at another unit or centre than its own."""
    point = row.get("receiving_point")
    return bool(point) and point != row.get("unit_code")


__all__ = ["FINISHED", "Explanation", "explain", "received_elsewhere"]
