"""The functions a formula may call, compiled to Ibis.

Only what the cross-backend suite proves equal on DuckDB, PostgreSQL and
PySpark is allowed here (``tests/golden``).  Conditions are two-valued: a
comparison or boolean column that is null counts as false, on every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

RowFunction = Callable[[Sequence[Any]], ir.Value]


def _coalesce(args: Sequence[Any]) -> ir.Value:
    return ibis.coalesce(*args)


def _case(args: Sequence[Any]) -> ir.Value:
    pairs = [(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]
    return ibis.cases(*pairs, else_=args[-1])


def _date(args: Sequence[Any]) -> ir.Value:
    return args[0].date()  # type: ignore[no-any-return]


def _as_date(value: Any) -> Any:
    return value.date() if isinstance(value, ir.TimestampValue) else value


def _days_between(args: Sequence[Any]) -> ir.Value:
    start, end = _as_date(args[0]), _as_date(args[1])
    return end.delta(start, unit="day")  # type: ignore[no-any-return]


ROW_FUNCTIONS: dict[str, RowFunction] = {
    "coalesce": _coalesce,
    "case": _case,
    "date": _date,
    "days_between": _days_between,
}
