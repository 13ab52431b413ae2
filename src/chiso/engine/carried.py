"""Manual values carried down from the province (``carried_from: province``).

The national portal gives every agency and commune the province's value of the
publication indicators 1.1–1.3 (national-2026.md §1.3): a unit without a value of its
own for such an indicator takes the value entered for the province (the ``tinh`` above
it on the period's last day).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chiso.domain.periods import Period
from chiso.domain.units import UnitTree
from chiso.spec.canonical import IndexSet

Cells = Mapping[tuple[str, str, str], float | None]


def carry_down(
    manual: Cells,
    index_set: IndexSet,
    periods: Sequence[Period],
    codes: Sequence[str],
    tree: UnitTree,
) -> Cells:
    """``manual`` with the province's values filled in for the units of ``codes`` that
    have none of their own, for every indicator carried from the province."""
    carried = [i.code for i in index_set.indicators if i.carried_from == "province"]
    if not carried or not manual:
        return manual
    out = dict(manual)
    for period in periods:
        on = period.last_day
        for code in codes:
            if code not in tree:
                continue
            province = next((u for u in tree.ancestors(code, on=on) if u.kind.value == "tinh"),
                            None)  # fmt: skip
            if province is None:
                continue
            for ind in carried:
                given = manual.get((province.unit_code, period.code, ind))
                if given is not None and (code, period.code, ind) not in manual:
                    out[code, period.code, ind] = given
    return out


__all__ = ["carry_down"]
