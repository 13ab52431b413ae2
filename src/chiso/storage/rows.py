"""Canonical rows that chiso's own code produced (web forms, ratings, API batches).

Rows are dictionaries of canonical columns (``docs/data-model.md``); :func:`rows_table`
makes them an Arrow table of the canonical schema, refusing unknown columns and repeated
keys, before :func:`chiso.storage.writer.commit_rows` merges them by key exactly like a
file import.  Rows from outside must be validated first (``chiso.ingest.records`` for
pushed records, the importer for files).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from chiso.domain.records import KEYS, TABLES
from chiso.errors import UserError
from chiso.i18n import _
from chiso.storage.store import schema_of


def rows_table(table: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The rows as an Arrow table of the canonical schema (missing columns are null)."""
    if table not in TABLES:
        raise UserError(
            _("no canonical table “{table}”").format(table=table), hint=", ".join(TABLES)
        )
    schema = schema_of(table).to_pyarrow()
    unknown = sorted({c for r in rows for c in r} - set(schema.names))
    if unknown:
        raise UserError(
            _("{table}: unknown column(s) {names}").format(table=table, names=", ".join(unknown)),
            hint=_("the columns of {table} are listed in docs/data-model.md").format(table=table),
        )
    keys = KEYS[table]
    repeated = [k for k, n in Counter(tuple(r.get(c) for c in keys) for r in rows).items() if n > 1]
    if repeated:
        raise UserError(
            _("{table}: key {names} appears more than once").format(
                table=table, names=", ".join(map(str, repeated[0]))
            ),
            hint=_("send each record once per batch"),
        )
    return pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)


__all__ = ["rows_table"]
