"""Arrow schemas of the canonical tables, as the generator writes them to Parquet.

Timestamps are naive Vietnam local time in microseconds (Parquet has no second unit;
the values themselves are whole seconds), dates are ``date32``, numbers ``float64``.
"""

from __future__ import annotations

import pyarrow as pa

from chiso.domain.records import TABLES, ColumnType

__all__ = ["ARROW_TYPES", "arrow_schema"]

ARROW_TYPES = {
    ColumnType.STRING: pa.string(),
    ColumnType.INTEGER: pa.int64(),
    ColumnType.NUMBER: pa.float64(),
    ColumnType.BOOLEAN: pa.bool_(),
    ColumnType.TIMESTAMP: pa.timestamp("us"),
    ColumnType.DATE: pa.date32(),
}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of canonical ``table``, columns in ``records.TABLES`` order.

    Examples:
        >>> arrow_schema("ratings").names
        ['dossier_code', 'rated_at', 'channel', 'satisfied']
    """
    return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in TABLES[table].items()])
