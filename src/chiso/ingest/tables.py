"""The tables an import can read: the canonical ones plus import-only ``statistics``.

``statistics`` holds per-unit monthly counts as provincial statistics pages print them;
``chiso.ingest.statistics`` expands them into canonical dossier rows.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from chiso.domain.records import KEYS, REQUIRED, TABLES, ColumnType

__all__ = ["IMPORT_TABLES", "STATISTICS", "import_key", "import_required"]

_I = ColumnType.INTEGER
#: Per-unit counts of one month (see docs/import.md, "Aggregate statistics").
STATISTICS: Final = MappingProxyType(
    {
        "unit_code": ColumnType.STRING,
        "carried_over": _I,
        "received": _I,
        "finished_early": _I,
        "finished_on_time": _I,
        "finished_late": _I,
        "in_progress": _I,
        "in_progress_overdue": _I,
        "online": _I,
        "fee_dossiers": _I,
        "paid_online": _I,
        "digitized": _I,
        "result_digitized": _I,
        "synced": _I,
        "rated": _I,
        "dissatisfied": _I,
    }
)
IMPORT_TABLES: Final = MappingProxyType({**TABLES, "statistics": STATISTICS})


def import_required(table: str) -> tuple[str, ...]:
    """Columns every row of ``table`` must have."""
    if table == "statistics":
        return ("unit_code", "received")
    return tuple(REQUIRED[table])


def import_key(table: str) -> str:
    """The first key column (rows without it are decoration, e.g. a totals row)."""
    return "unit_code" if table == "statistics" else KEYS[table][0]
