"""Which columns of which canonical tables each indicator's formulas read.

Derived from the formulas themselves (numerator and denominator, ``where`` and value,
definitions already expanded), so a column's affected indicators are never a hand-kept
list: ``procedure.has_fee`` is column ``has_fee`` of ``procedures``, ``rating.satisfied``
column ``satisfied`` of ``ratings``, any other name a column of the measure's table.
"""

from __future__ import annotations

from chiso.domain.records import PERIOD_VARIABLES
from chiso.spec.canonical import IndexSet, Indicator, Measure
from chiso.spec.formula import Name, walk

__all__ = ["columns_read", "indicators_reading"]

#: Prefixes of the columns the engine joins into a measure's rows, and their tables.
JOINED = {"procedure": "procedures", "rating": "ratings"}


def _measure_columns(measure: Measure) -> set[tuple[str, str]]:
    nodes = walk(measure.value) + (walk(measure.where) if measure.where is not None else [])
    out: set[tuple[str, str]] = set()
    for node in nodes:
        if not isinstance(node, Name) or node.name in PERIOD_VARIABLES:
            continue
        prefix, dot, column = node.name.partition(".")
        if dot and prefix in JOINED:
            out.add((JOINED[prefix], column))
        else:
            out.add((measure.table, node.name))
    return out


def columns_read(indicator: Indicator) -> frozenset[tuple[str, str]]:
    """The (table, column) pairs the indicator's measures read (none for manual ones)."""
    measures = (m for m in (indicator.numerator, indicator.denominator) if m is not None)
    return frozenset(pair for m in measures for pair in _measure_columns(m))


def indicators_reading(index_set: IndexSet, table: str, column: str) -> tuple[Indicator, ...]:
    """The indicators of ``index_set`` whose formulas read ``table.column``, in order."""
    return tuple(i for i in index_set.indicators if (table, column) in columns_read(i))
