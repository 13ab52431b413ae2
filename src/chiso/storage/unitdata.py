"""The unit tree a store's data refers to.

A data folder may carry its own ``units`` table (another province); without
one, the tree of the configured province (``CHISO_PROVINCE``, else Điện Biên).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chiso.domain.units import Unit, UnitKind, UnitTree
from chiso.errors import UserError
from chiso.i18n import _
from chiso.storage.cache import CACHE
from chiso.storage.cubes import part_identity
from chiso.storage.store import Store


def tree_of(store: Store) -> UnitTree:
    """The unit tree of the store's ``units`` table, or the shipped one.

    Kept in :data:`chiso.storage.cache.CACHE` per opened store, and for a folder while
    its ``units`` files stay the same (name, size, modification time, inode): a changed
    ``units`` table is seen by a store opened after the change (the site re-opens its store
    whenever the data changes).
    """
    if not store.has("units"):
        from chiso.domain.provinces import province_tree

        return province_tree()  # CHISO_PROVINCE, else Điện Biên
    found: UnitTree | None = CACHE.get((store.version, "units-tree"))
    if found is None:
        key = _files_key(store)
        found = CACHE.get(key) if key is not None else None
        if found is None:
            local = "units" in store.files  # a folder's: read without the engine
            rows = store.folder_rows("units") if local else store.to_pyarrow(store.table("units"))
            found = tree_from_rows(rows.to_pylist())
            if key is not None:
                CACHE.put(key, found)
        CACHE.put((store.version, "units-tree"), found)
    return found


def _files_key(store: Store) -> tuple[str, ...] | None:
    """The identity of the files a folder's ``units`` table is read from, as a cache key
    (None: not a folder, or a file vanished)."""
    found = store.files.get("units")
    if found is None:
        return None
    try:
        return ("units-files", *(f"{path.resolve()}|{part_identity(path)}" for path in found[1]))
    except OSError:
        return None


def tree_from_rows(rows: list[dict[str, Any]]) -> UnitTree:
    """Build the unit tree from canonical ``units`` rows (dicts)."""
    units = []
    for n, row in enumerate(rows, start=2):
        try:
            kind = UnitKind(row["kind"])
        except ValueError:
            raise UserError(
                _("units row {n}: unknown kind “{row}”").format(n=n, row=row["kind"]),
                hint=_("use {names}").format(names=", ".join(k.value for k in UnitKind)),
            ) from None
        units.append(
            Unit(
                unit_code=row["unit_code"],
                gso_code=row["gso_code"],
                name=row["name"],
                short_name=row["short_name"] or row["name"],
                kind=kind,
                parent_code=row["parent_code"],
                valid_from=row["valid_from"] or date(1900, 1, 1),
                valid_to=row["valid_to"],
                successor_code=row["successor_code"],
            )
        )
    return UnitTree(units)
