"""Which of our units a portal row is: portal id / code first, then the name.

The portal identifies a unit by a UUID ``departmentId`` and a code such as ``H18``
(province) or ``H44.100`` (a commune of H44); neither is a GSO code.  The identifiers
chiso knows are listed in ``data/portal/units.csv`` (Điện Biên: ``H18``, SEC R14); any
other row is matched by its name through :meth:`UnitTree.resolve` — exact, then without
diacritics, never by similarity — after dropping the portal's " - Tỉnh X" suffix when X
is the tree's own province ("Sở Tư pháp - Tỉnh Điện Biên"; another province's suffix
stays, so "Sở Tư pháp - Tỉnh Phú Thọ" never becomes Điện Biên's Sở Tư pháp).  An unknown
name raises with "did you mean".
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from importlib import resources

from chiso.domain.units import UnitTree, UnknownUnitError
from chiso.i18n import _
from chiso.portal.provinces import TreeProvince, strip_suffix
from chiso.portal.rows import PortalUnitRef

__all__ = ["KnownUnit", "UnitMatcher", "known_units"]


@dataclass(frozen=True)
class KnownUnit:
    """A portal identifier whose unit is known."""

    portal_id: str
    portal_code: str
    unit_code: str
    name: str


@functools.cache
def known_units() -> tuple[KnownUnit, ...]:
    """The shipped table of portal identifiers (``data/portal/units.csv``)."""
    path = resources.files("chiso") / "data" / "portal" / "units.csv"
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        return tuple(
            KnownUnit(r["portal_id"], r["portal_code"], r["unit_code"], r["name"])
            for r in csv.DictReader(fh)
        )


class UnitMatcher:
    """Resolve portal rows to ``unit_code`` on one day."""

    def __init__(
        self, tree: UnitTree, *, on: date, known: Collection[KnownUnit] | None = None
    ) -> None:
        """Index the known identifiers whose unit exists in ``tree``."""
        self.tree, self.on = tree, on
        usable = [k for k in (known_units() if known is None else known) if k.unit_code in tree]
        self._by_id = {k.portal_id: k.unit_code for k in usable if k.portal_id}
        self._by_code = {k.portal_code: k.unit_code for k in usable if k.portal_code}
        codes = {k.unit_code: k.portal_code for k in usable if k.portal_code}
        self.province = TreeProvince.of(tree, on, codes)

    def match(self, ref: PortalUnitRef, *, within: str | None = None) -> str:
        """The unit code of ``ref`` (strictly below ``within`` when matched by name).

        Raises:
            UnknownUnitError: no unit of that name on the day (with suggestions).
            AmbiguousUnitError: several units of that name.
        """
        if ref.portal_id and ref.portal_id in self._by_id:
            return self._by_id[ref.portal_id]
        if ref.portal_code and ref.portal_code in self._by_code:
            return self._by_code[ref.portal_code]
        name = strip_suffix(ref.name, self.province.name if self.province else None)
        if not name:
            raise UnknownUnitError(_("the unit has no name"), hint=_("check departmentName"))
        return self.tree.resolve(name, on=self.on, within=within).unit_code

    def match_province(self, ref: PortalUnitRef) -> str | None:
        """A national row's province, or ``None`` when it is another province."""
        try:
            code = self.match(ref)
        except UnknownUnitError:
            return None
        return code if self.tree.get(code).kind.value == "tinh" else None
