"""Compile formulas and measures to Ibis expressions (never to SQL strings).

A measure value such as ``count() - count(late)`` is split into *atoms*, the
aggregate calls it contains.  Atoms that read the same table with the same
aggregation mode are computed together, in one grouped query per table, as
conditional aggregates; the arithmetic between atoms is done afterwards, in
exact fractions (:mod:`chiso.engine.evaluate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

from chiso.compile.functions import ROW_FUNCTIONS
from chiso.domain.records import ColumnType
from chiso.spec.canonical import IndexSet, Measure
from chiso.spec.formula import (
    AGGREGATES,
    COMPARISONS,
    Binary,
    Call,
    In,
    IsNull,
    Name,
    Node,
    Unary,
    render,
    walk,
)
from chiso.spec.formula import (
    Literal as Lit,
)
from chiso.spec.typecheck import row_type

Aggregation = Literal["own", "subtree"]


def column_name(name: str) -> str:
    """Physical column for a formula name: ``procedure.has_fee`` → ``procedure__has_fee``."""
    return name.replace(".", "__")


def working_day_index(name: str) -> str:
    """Column of the calendar index of ``name``'s day (``chiso.engine.workdays``)."""
    return column_name(name) + "__wdi"


def working_day_names(atoms: Iterable[Atom]) -> set[str]:
    """Names whose day a ``working_days()`` call of the atoms looks up in the calendar."""
    names: set[str] = set()
    for atom in atoms:
        for node in walk(atom.call) + (walk(atom.where) if atom.where is not None else []):
            if isinstance(node, Call) and node.name == "working_days":
                names |= {n.name for a in node.args for n in walk(a) if isinstance(n, Name)}
    return names


@dataclass(frozen=True)
class Atom:
    """One aggregate call over the rows of a table that pass a filter."""

    table: str
    aggregation: Aggregation
    where: Node | None
    call: Call

    @property
    def key(self) -> str:
        """Stable identity shared by every indicator that needs this aggregate."""
        where = render(self.where) if self.where is not None else "true"
        return f"{self.table} | {self.aggregation} | {where} | {render(self.call)}"


def atoms_of(measure: Measure, aggregation: Aggregation) -> list[Atom]:
    """Every aggregate call in a measure's value."""
    return [
        Atom(measure.table, aggregation, measure.where, node)
        for node in walk(measure.value)
        if isinstance(node, Call) and node.name in AGGREGATES
    ]


def index_set_atoms(index_set: IndexSet) -> list[Atom]:
    """All distinct atoms of an index set, in first-use order."""
    seen: dict[str, Atom] = {}
    for ind in index_set.indicators:
        for measure in (ind.numerator, ind.denominator):
            if measure is None:
                continue
            for atom in atoms_of(measure, ind.aggregation):
                seen.setdefault(atom.key, atom)
    return list(seen.values())


def referenced_columns(atoms: Iterable[Atom]) -> set[str]:
    """Formula names read by the atoms (to decide which joins are needed)."""
    names: set[str] = set()
    for atom in atoms:
        nodes = walk(atom.call) + (walk(atom.where) if atom.where is not None else [])
        names |= {n.name for n in nodes if isinstance(n, Name)}
    return names


def _literal(value: Decimal | str | bool | None) -> Any:
    if isinstance(value, Decimal):
        return ibis.literal(int(value)) if value == value.to_integral() else float(value)
    return value


class RowCompiler:
    """Compile row formulas against one Ibis table with known column types.

    Conditions are two-valued (null counts as false).  ``coalesce(…, false)`` is
    only added where an operand can be null, which keeps the generated SQL small
    and fast.
    """

    def __init__(
        self,
        table: ir.Table,
        types: Mapping[str, ColumnType],
        *,
        non_null: Iterable[str] = (),
        constants: Mapping[str, Any] | None = None,
    ) -> None:
        """Args:
        non_null: names known never to be null (no ``coalesce`` around them).
        constants: names bound to one value (a period variable of a single period).
        """
        self.table = table
        self.types = types
        self.non_null = frozenset(non_null)
        self.constants = dict(constants or {})

    def nullable(self, node: Node) -> bool:
        """Whether a row formula can evaluate to null."""
        match node:
            case Lit(value=value):
                return value is None
            case Name(name=name):
                return name not in self.non_null
            case IsNull():
                return False
            case Unary(op="not") | Binary(op="and" | "or"):
                return False
            case Unary(operand=operand) | In(operand=operand):
                return self.nullable(operand)
            case Binary(left=left, right=right):
                return self.nullable(left) or self.nullable(right)
            case Call(name="coalesce", args=args):
                return all(self.nullable(a) for a in args)
            case Call(name="case", args=args):
                values = [args[i] for i in range(1, len(args) - 1, 2)] + [args[-1]]
                return any(self.nullable(v) for v in values)
            case Call(name="working_days"):
                return True  # a day outside the calendar table has no index
            case Call(args=args):
                return any(self.nullable(a) for a in args)
        raise AssertionError(f"unknown node {node!r}")

    def condition(self, node: Node) -> ir.BooleanValue:
        """A two-valued condition: null counts as false."""
        match node:
            case Lit(value=None):
                return ibis.literal(False)
            case Lit(value=bool() as flag):
                return ibis.literal(flag)
            case Unary(op="not", operand=operand):
                return ~self.condition(operand)
            case Binary(op="and", left=left, right=right):
                return self.condition(left) & self.condition(right)
            case Binary(op="or", left=left, right=right):
                return self.condition(left) | self.condition(right)
            case IsNull(operand=operand, negated=negated):
                inner = self.value(operand)
                return inner.notnull() if negated else inner.isnull()  # type: ignore[no-any-return]
            case In(operand=operand, values=values, negated=negated):
                test = self.value(operand).isin([_literal(v.value) for v in values])
                test = self._two_valued(test, node)
                return ~test if negated else test  # type: ignore[no-any-return]
            case Binary(op=op, left=left, right=right) if op in COMPARISONS:
                return self._two_valued(self._compare(op, left, right), node)
        return self._two_valued(self.value(node), node)

    def _two_valued(self, expr: Any, node: Node) -> ir.BooleanValue:
        return ibis.coalesce(expr, False) if self.nullable(node) else expr  # type: ignore[no-any-return]

    def value(self, node: Node) -> Any:
        """Compile a row-level formula."""
        match node:
            case Lit(value=value):
                return _literal(value)
            case Name(name=name):
                if name in self.constants:
                    return self.constants[name]
                return self.table[column_name(name)]
            case Unary(op="-", operand=operand):
                return -self.value(operand)
            case Unary() | IsNull() | In() | Binary(op="and" | "or"):
                return self.condition(node)
            case Binary(op=op, left=left, right=right) if op in COMPARISONS:
                return self.condition(node)
            case Binary(op=op, left=left, right=right):
                a, b = self.value(left), self.value(right)
                return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
            case Call(name="working_days", args=(start, end)):
                return self._day_index(end) - self._day_index(start)
            case Call(name=name, args=args) if name in ROW_FUNCTIONS:
                compiled = [
                    self.condition(a)
                    if name == "case" and i % 2 == 0 and i < len(args) - 1
                    else self.value(a)
                    for i, a in enumerate(args)
                ]
                return ROW_FUNCTIONS[name](compiled)
        raise AssertionError(f"cannot compile {render(node)} as a row formula")

    def _day_index(self, node: Node) -> Any:
        """The calendar index of a ``working_days()`` argument's day.

        The index is a function of the day, so it goes inside ``date``, ``coalesce`` and
        ``case`` (every date-typed form of the language) down to the names' index columns.
        """
        match node:
            case Lit(value=None):
                return ibis.null("int64")
            case Name(name=name):
                key = working_day_index(name)
                return self.constants[key] if name in self.constants else self.table[key]
            case Call(name="date", args=(arg,)):
                return self._day_index(arg)
            case Call(name="coalesce", args=args):  # the first non-null day, even if unindexed
                pairs = [(self.value(a).notnull(), self._day_index(a)) for a in args[:-1]]
                return ibis.cases(*pairs, else_=self._day_index(args[-1]))
            case Call(name="case", args=args):
                pairs = [
                    (self.condition(args[i]), self._day_index(args[i + 1]))
                    for i in range(0, len(args) - 1, 2)
                ]
                return ibis.cases(*pairs, else_=self._day_index(args[-1]))
        raise AssertionError(f"working_days() of {render(node)}")

    def _compare(self, op: str, left: Node, right: Node) -> Any:
        a, b = self._align_dates(left, right, self.value(left), self.value(right))
        return {
            "==": lambda: a == b,
            "!=": lambda: a != b,
            "<": lambda: a < b,
            "<=": lambda: a <= b,
            ">": lambda: a > b,
            ">=": lambda: a >= b,
        }[op]()

    def _align_dates(self, left: Node, right: Node, a: Any, b: Any) -> tuple[Any, Any]:
        lt, rt = row_type(left, self.types), row_type(right, self.types)
        if {lt, rt} == {ColumnType.DATE, ColumnType.TIMESTAMP}:
            a = a.date() if lt == ColumnType.TIMESTAMP else a
            b = b.date() if rt == ColumnType.TIMESTAMP else b
        return a, b


def all_of(filters: Sequence[ir.BooleanValue]) -> ir.BooleanValue | None:
    """The conjunction of ``filters`` (None when there are none)."""
    if not filters:
        return None
    result = filters[0]
    for extra in filters[1:]:
        result = result & extra
    return result
