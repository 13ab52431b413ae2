"""Validate records that arrive as JSON (the push API) exactly like the rows of a file.

Each record becomes a row of text cells, as if it had been read from a canonical CSV
(``chiso`` profile: field names are the canonical column names), and goes through the
same :class:`~chiso.ingest.convert.Converter` as a file import, so a bad value gets the
same reason and hint whichever way it arrived.  A problem's ``row`` is the record's
position in the batch (1-based) and its ``column`` the field name.

JSON scalars are written the way the importer reads them unambiguously: ``true``/``false``
as ``true``/``false``, integers as digits, fractions with a decimal comma (``98,32`` —
``1.229`` would read as a thousands separator), ``null`` as an empty cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from chiso.domain.records import KEYS, TABLES
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.ingest.convert import Converter
from chiso.ingest.issues import RowIssue
from chiso.ingest.layout import Layout
from chiso.ingest.profiles import HeaderMatch, load_profile
from chiso.ingest.resolve import ProcedureLookup, UnitLookup
from chiso.ingest.stage import Stage

__all__ = ["PUSHABLE", "cell_text", "validate_records"]

#: Tables whose records may be pushed (the ones a file import reads, minus statistics).
PUSHABLE = ("dossiers", "petitions", "ratings", "procedures", "units")
_SCALAR_HINT = N_("give text, a number, true/false or null")
_NOT_A_RECORD = N_("not a record")


def cell_text(value: Any) -> str:
    """A JSON value as the text cell a CSV export would hold.

    Examples:
        >>> [cell_text(v) for v in (None, True, 12, 98.32, 2.0, "x")]
        ['', 'true', '12', '98,32', '2', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return np.format_float_positional(value, trim="-").replace(".", ",")
    return str(value)


def validate_records(
    table: str,
    records: Sequence[Any],
    *,
    source: str = "API",
    units: UnitLookup | UnitTree | None = None,
    procedures: ProcedureLookup | None = None,
    profile: str = "chiso",
) -> tuple[pa.Table, list[RowIssue]]:
    """Canonical table of the valid records and every problem found.

    Args:
        table: the canonical table the records belong to (see :data:`PUSHABLE`).
        records: JSON objects keyed by canonical column (or helper field) names.
        source: the "file" named in each problem (``API``).
        units: the unit tree (or lookup) codes and names are checked against.
        procedures: known procedures (none known: procedure codes are not checked).
        profile: the import profile whose value labels apply (canonical by default).
    """
    if table not in PUSHABLE:
        raise UserError(
            _("cannot push {table!r}").format(table=table),
            hint=_("tables: {tables}").format(tables=", ".join(PUSHABLE)),
        )
    chosen = load_profile(profile)
    allowed = chosen.fields_of(table)
    issues = _shape_issues(records, allowed, source)
    names = [c for c in allowed if any(isinstance(r, Mapping) and c in r for r in records)]
    names = names or [KEYS[table][0]]
    rows = [(i, _cells(r, names)) for i, r in enumerate(records, start=1)]
    if not rows:
        return _empty(table), issues
    match = HeaderMatch(dict(enumerate(names)), [], len(names))
    layout = Layout(0, list(names), match, chosen)
    lookup = units if isinstance(units, UnitLookup) else UnitLookup(units or UnitTree.dienbien())
    converter = Converter(table, layout, lookup, procedures or ProcedureLookup.of([]))
    converted, found = converter.convert(converter.block(source, rows))
    not_records = {i.row for i in issues if i.reason == _(_NOT_A_RECORD)}
    issues.extend(i for i in found if i.row not in not_records)
    bad_rows = {i.row for i in issues}
    if bad_rows:
        keep = pa.array([r not in bad_rows for r in converted["_row"].to_pylist()], pa.bool_())
        converted = converted.filter(keep)
    valid, conflicts = _one_per_key(table, converted)
    issues.extend(conflicts)
    return valid, sorted(issues, key=lambda i: (i.row, i.column))


def _shape_issues(records: Sequence[Any], allowed: list[str], source: str) -> list[RowIssue]:
    """Records that are not objects, fields that do not exist, values that are not scalars."""
    issues: list[RowIssue] = []
    first_seen: dict[str, int] = {}
    for row, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            issues.append(
                RowIssue(source, row, "", cell_text(record)[:80], _(_NOT_A_RECORD),
                         _("each record is an object of field names and values"))
            )  # fmt: skip
            continue
        for name, value in record.items():
            if name not in allowed:
                first_seen.setdefault(str(name), row)
            elif isinstance(value, (Mapping, list, tuple)):
                issues.append(
                    RowIssue(source, row, name, str(value)[:80], _("not a single value"),
                             _(_SCALAR_HINT))
                )  # fmt: skip
    for name, row in first_seen.items():
        issues.append(
            RowIssue(source, row, name, "", _("unknown field"),
                     _("the fields are {fields}").format(fields=", ".join(allowed)))
        )  # fmt: skip
    return issues


def _cells(record: Any, names: list[str]) -> list[str | None]:
    if not isinstance(record, Mapping):
        return [None] * len(names)
    out: list[str | None] = []
    for name in names:
        value = record.get(name)
        out.append(None if isinstance(value, (Mapping, list, tuple)) else cell_text(value))
    return out


def _one_per_key(table: str, converted: pa.Table) -> tuple[pa.Table, list[RowIssue]]:
    """The staging step of a file import: a key twice with different data is an error,
    an exact repeat is kept once.  Skipped when every key is distinct (the usual case)."""
    columns = list(TABLES[table])
    keys = list(zip(*(converted[k].to_pylist() for k in KEYS[table]), strict=True))
    if max(Counter(keys).values(), default=0) <= 1:
        return converted.select(columns), []
    stage = Stage(table)
    try:
        stage.add(converted)
        incoming, conflicts, _repeats = stage.finish()
        assert incoming is not None
        return pq.read_table(Path(incoming)).select(columns), conflicts
    finally:
        stage.close()


def _empty(table: str) -> pa.Table:
    from chiso.storage.store import schema_of

    return schema_of(table).to_pyarrow().empty_table()
