"""Write canonical tables to a data folder (CSV), the interchange format.

Used by tests, by ``chiso generate --format csv`` and by importers.  Values are
written in the canonical text forms: ISO 8601 timestamps without zone
(``2024-11-04 08:00:00``), ``true``/``false``, empty for null.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from chiso.domain.records import TABLES
from chiso.errors import UserError
from chiso.i18n import _


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_table(folder: Path, table: str, rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write ``rows`` of canonical table ``table`` to ``folder/table.csv``."""
    columns = list(TABLES[table])
    path = folder / f"{table}.csv"
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for n, row in enumerate(rows, start=1):
            unknown = set(row) - set(columns)
            if unknown:
                raise UserError(
                    _("{table} row {n}: unknown column(s) {names}").format(
                        table=table, n=n, names=", ".join(sorted(unknown))
                    ),
                    hint=_("the columns of {table} are {names}").format(
                        table=table, names=", ".join(columns)
                    ),
                )
            writer.writerow([_text(row.get(c)) for c in columns])
    return path


def write_tables(folder: Path, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """Write several canonical tables into ``folder``."""
    for table, rows in tables.items():
        write_table(folder, table, rows)
