"""Type checking of formulas against the columns of a canonical table.

Row formulas (``where`` filters, the arguments of aggregates) see the table's
columns and the period variables.  Measure values must be aggregates combined
by arithmetic: ``count() - count(late)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from chiso.domain.records import ColumnType
from chiso.i18n import _
from chiso.spec.formula import (
    AGGREGATES,
    ROW_FUNCTIONS,
    Binary,
    Call,
    FormulaError,
    In,
    IsNull,
    Literal,
    Name,
    Node,
    Unary,
)

B, N, S, T, D = (
    ColumnType.BOOLEAN,
    ColumnType.NUMBER,
    ColumnType.STRING,
    ColumnType.TIMESTAMP,
    ColumnType.DATE,
)
NULL = "null"
Type = ColumnType | str


def _numeric(t: Type) -> bool:
    return t in (N, ColumnType.INTEGER, NULL)


def _norm(t: Type) -> Type:
    return N if t == ColumnType.INTEGER else t


def _compatible(a: Type, b: Type) -> bool:
    a, b = _norm(a), _norm(b)
    return a == b or NULL in (a, b) or {a, b} == {T, D}


def did_you_mean(name: str, choices: list[str]) -> str | None:
    """Return a 'did you mean' hint for ``name`` among ``choices``, if any is close."""
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
    if not close:
        return None
    return _("did you mean {choices}?").format(choices=", ".join(repr(c) for c in close))


def row_type(node: Node, columns: Mapping[str, ColumnType]) -> Type:  # noqa: C901 - per node kind
    """Type of a row-level formula; raise FormulaError on misuse."""
    match node:
        case Literal(value=None):
            return NULL
        case Literal(value=bool()):
            return B
        case Literal(value=str()):
            return S
        case Literal():
            return N
        case Name(name=name, pos=pos):
            if name not in columns:
                raise FormulaError(
                    f"unknown column {name!r}", pos=pos, hint=did_you_mean(name, list(columns))
                )
            return columns[name]
        case Unary(op="not", operand=operand, pos=pos):
            _expect(row_type(operand, columns), B, pos, "'not' needs a condition")
            return B
        case Unary(operand=operand, pos=pos):
            _expect_numeric(row_type(operand, columns), pos)
            return N
        case IsNull(operand=operand):
            row_type(operand, columns)
            return B
        case In(operand=operand, values=values, pos=pos):
            left = row_type(operand, columns)
            for value in values:
                if not _compatible(left, row_type(value, columns)):
                    raise FormulaError("'in' list values must match the column's type", pos=pos)
            return B
        case Binary():
            return _binary_type(node, columns)
        case Call():
            return _call_type(node, columns)
    raise AssertionError(f"unknown node {node!r}")


def _binary_type(node: Binary, columns: Mapping[str, ColumnType]) -> Type:
    left, right = row_type(node.left, columns), row_type(node.right, columns)
    if node.op in ("and", "or"):
        _expect(left, B, node.pos, f"'{node.op}' needs conditions on both sides")
        _expect(right, B, node.pos, f"'{node.op}' needs conditions on both sides")
        return B
    if node.op in ("+", "-", "*", "/"):
        _expect_numeric(left, node.pos)
        _expect_numeric(right, node.pos)
        return N
    if not _compatible(left, right):
        raise FormulaError(
            f"cannot compare {left} with {right}",
            pos=node.pos,
            hint="compare timestamps with timestamps, numbers with numbers, text with 'text'",
        )
    return B


def _call_type(node: Call, columns: Mapping[str, ColumnType]) -> Type:
    if node.name in AGGREGATES:
        raise FormulaError(
            f"aggregate {node.name}() is not allowed inside a row formula",
            pos=node.pos,
            hint="aggregates belong in a measure value, e.g. count(on_time)",
        )
    if node.name not in ROW_FUNCTIONS:
        raise FormulaError(
            f"unknown function {node.name!r}",
            pos=node.pos,
            hint=did_you_mean(node.name, [*ROW_FUNCTIONS, *AGGREGATES]),
        )
    _check_arity(node, ROW_FUNCTIONS[node.name])
    types = [row_type(a, columns) for a in node.args]
    if node.name == "date":
        _expect(types[0], T, node.pos, "date() takes a timestamp")
        return D
    if node.name in ("days_between", "working_days"):
        for t in types:
            if t not in (T, D, NULL):
                raise FormulaError(f"{node.name}() takes two dates or timestamps", pos=node.pos)
        return N
    if node.name == "case":
        return _case_type(node, types)
    # coalesce
    result = next((t for t in types if t != NULL), NULL)
    if not all(_compatible(result, t) for t in types):
        raise FormulaError("coalesce() arguments must have one type", pos=node.pos)
    return result


def _case_type(node: Call, types: list[Type]) -> Type:
    if len(types) % 2 == 0:
        raise FormulaError(
            "case() takes pairs of (condition, value) and a final else value",
            pos=node.pos,
            hint="case(a < b, 2, a == b, 1, 0)",
        )
    values = [types[i + 1] for i in range(0, len(types) - 1, 2)] + [types[-1]]
    for i in range(0, len(types) - 1, 2):
        _expect(types[i], B, node.args[i].pos, "case() conditions must be conditions")
    result = next((t for t in values if t != NULL), NULL)
    if not all(_compatible(result, t) for t in values):
        raise FormulaError("case() values must have one type", pos=node.pos)
    return result


def aggregate_type(node: Node, columns: Mapping[str, ColumnType]) -> Type:
    """Type of a measure value: arithmetic over aggregates and numbers."""
    match node:
        case Literal(value=bool() | str() | None, pos=pos):
            raise FormulaError("a measure value must be a number", pos=pos)
        case Literal():
            return N
        case Name(name=name, pos=pos):
            raise FormulaError(
                f"column {name!r} used outside an aggregate",
                pos=pos,
                hint=f"wrap it in an aggregate, e.g. count({name}) or sum({name})",
            )
        case Unary(op="-", operand=operand):
            return aggregate_type(operand, columns)
        case Binary(op=op, left=left, right=right, pos=pos) if op in ("+", "-", "*", "/"):
            aggregate_type(left, columns)
            aggregate_type(right, columns)
            return N
        case Call(name=name) if name in AGGREGATES:
            _check_arity(node, AGGREGATES[name])
            return _aggregate_call_type(node, columns)
    raise FormulaError(
        "a measure value must combine aggregates (count, sum, count_distinct) with + - * /",
        pos=node.pos,
    )


def _aggregate_call_type(node: Call, columns: Mapping[str, ColumnType]) -> Type:
    args = node.args
    if node.name == "count":
        if args:
            _expect(row_type(args[0], columns), B, node.pos, "count() takes a condition")
        return N
    first = row_type(args[0], columns)
    if node.name == "sum":
        _expect_numeric(first, node.pos)
    if len(args) == 2:
        _expect(row_type(args[1], columns), B, node.pos, f"{node.name}()'s 2nd arg: a condition")
    return N


def _check_arity(node: Call, arity: tuple[int, int]) -> None:
    low, high = arity
    n = len(node.args)
    if n < low or (high >= 0 and n > high):
        expected = f"{low}" if low == high else f"{low} to {high if high >= 0 else 'many'}"
        raise FormulaError(f"{node.name}() takes {expected} argument(s), got {n}", pos=node.pos)


def _expect(actual: Type, wanted: Type, pos: int, message: str) -> None:
    if actual not in (wanted, NULL):
        raise FormulaError(f"{message} (got {actual})", pos=pos)


def _expect_numeric(actual: Type, pos: int) -> None:
    if not _numeric(actual):
        raise FormulaError(f"arithmetic needs numbers (got {actual})", pos=pos)
