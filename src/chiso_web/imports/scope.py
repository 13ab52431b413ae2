"""Which units an upload touches, and whether an officer may write all of them.

The rows are the importer's own staged rows (:class:`chiso.ingest.importer.CheckedImport`:
same profiles, unit and procedure resolution), so a unit given by name counts as its
resolved code, and the upload is read once for the check and the scope together.  For records
that already exist (a dossier re-imported with another unit) the stored unit counts too:
an officer may neither write into another unit nor take a record away from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ibis

from chiso.domain.records import KEYS
from chiso.domain.units import UnitTree
from chiso.engine.store import Store
from chiso.ingest.importer import CheckedImport
from chiso.ingest.targets import q, work_connection
from chiso_web.units.access import Access

#: Tables whose rows name their unit; ratings belong to the unit of their dossier.
UNIT_TABLES = ("dossiers", "petitions")
PROVINCE_TABLES = ("units", "procedures")


@dataclass(frozen=True)
class StagedRow:
    """One incoming record: its key, its unit (None for ratings), where it was read."""

    key: str
    unit_code: str | None
    file: str
    row: int


@dataclass
class Scope:
    """The units an upload touches and the first row an officer may not write, if any."""

    unit_codes: set[str] = field(default_factory=set)
    foreign: str | None = None


def staged_rows(checked: CheckedImport) -> list[StagedRow]:
    """The valid incoming records of a checked upload, read from its staged parts (every
    valid row as read, before repeats are collapsed)."""
    table, stage = checked.result.table, checked.stage
    if stage.parts == 0:
        return []
    key = q(KEYS[table][0])
    unit = q("unit_code") if table in UNIT_TABLES else "NULL"
    con = work_connection()
    try:
        columns = f"{key}, {unit}, _file, _row"  # canonical names, not user input
        rows = con.execute(
            f"SELECT {columns} FROM read_parquet(?) ORDER BY _file, _row",  # noqa: S608
            [f"{stage.dir}/part-*.parquet"],
        ).fetchall()
    finally:
        con.close()
    return [StagedRow(str(k), u, Path(str(f)).name, int(r)) for k, u, f, r in rows]


def stored_units(store: Store, table: str, keys: Sequence[str]) -> dict[str, str]:
    """The stored unit of each existing record of ``keys`` (ratings: of the dossier)."""
    source = "dossiers" if table == "ratings" else table
    if not keys or not store.has(source):  # no valid row: nothing to look up
        return {}
    t = store.table(source)
    key = KEYS[source][0]
    wanted = ibis.memtable({"_key": sorted(set(keys))})
    expr = t.inner_join(wanted, t[key] == wanted["_key"]).select(key, "unit_code")
    out: dict[str, str] = {}
    for row in store.to_pyarrow(expr).to_pylist():
        out[str(row[key])] = str(row["unit_code"])
    return out


def _unit_label(tree: UnitTree, code: str) -> str:
    return f"{tree.get(code).name} ({code})" if code in tree else code


def check_scope(
    access: Access, tree: UnitTree, table: str, rows: Sequence[StagedRow], stored: dict[str, str]
) -> Scope:
    """The units touched and, for an officer, the first row outside their subtree."""
    scope = Scope()
    for row in rows:
        units = [u for u in (row.unit_code, stored.get(row.key)) if u]
        scope.unit_codes.update(units)
        if scope.foreign is not None or access.role == "admin":
            continue
        if table == "ratings" and row.key not in stored:
            scope.foreign = (
                f"{row.file}, dòng {row.row}: hồ sơ {row.key} không có trong dữ liệu nên không "
                "xác định được đơn vị; chỉ quản trị cấp tỉnh được nhập đánh giá này."
            )
        for code in units:
            if scope.foreign is None and not access.can_write(tree, code):
                scope.foreign = (
                    f"{row.file}, dòng {row.row}: {KEYS[table][0]} {row.key} thuộc "
                    f"{_unit_label(tree, code)}, ngoài phạm vi đơn vị của bạn."
                )
    return scope


__all__ = ["PROVINCE_TABLES", "Scope", "StagedRow", "check_scope", "staged_rows", "stored_units"]
