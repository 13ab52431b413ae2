"""The unit tree a store's data refers to.

A data folder may carry its own ``units`` table (another province); without
one, the shipped Điện Biên tree is used.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chiso.domain.units import Unit, UnitKind, UnitTree
from chiso.engine.store import Store
from chiso.errors import UserError


def tree_of(store: Store) -> UnitTree:
    """The unit tree of the store's ``units`` table, or the shipped one.

    Built once per opened store: a changed ``units`` table is seen by a store opened
    after the change (the site re-opens its store whenever the data changes).
    """
    if not store.has("units"):
        return UnitTree.dienbien()
    tree = store.memo.get("tree")
    if tree is None:
        tree = store.memo["tree"] = tree_from_rows(
            store.to_pyarrow(store.table("units")).to_pylist()
        )
    return tree  # type: ignore[no-any-return]


def tree_from_rows(rows: list[dict[str, Any]]) -> UnitTree:
    """Build the unit tree from canonical ``units`` rows (dicts)."""
    units = []
    for n, row in enumerate(rows, start=2):
        try:
            kind = UnitKind(row["kind"])
        except ValueError:
            raise UserError(
                f"units row {n}: unknown kind {row['kind']!r}",
                hint="use " + ", ".join(k.value for k in UnitKind),
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
