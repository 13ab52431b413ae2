"""Unit names printed in a received report, resolved in the reporting unit's scope.

Resolution goes through :meth:`chiso.domain.units.UnitTree.resolve` (exact, alias,
then diacritic-insensitive when unique), scoped to the units valid on the report
date and below the reporting unit.  Two report habits are added here:

* a bare unit-type word ("UBND Thị trấn") names the one unit of that kind in scope;
* OCR text without diacritics ("UBND xa P4 Khoang", "UBND xd Muong Phing") is
  matched by similarity to the folded names in scope, only when one unit is
  clearly closest, and such a match is always reported.

Every resolution says whether the printed spelling is the official one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from chiso.domain.unit_names import TYPE_KINDS, fold_diacritics, name_keys, normalise_name
from chiso.domain.units import AmbiguousUnitError, Unit, UnitTree, UnknownUnitError
from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["NameResolver", "Resolution", "detect_scope"]

How = Literal["official", "alias", "type", "ocr"]
#: OCR confusions seen in seed 001: digits read for letters ("P4 Khoang", "T4u").
_OCR_DIGITS = str.maketrans({"4": "a", "6": "o", "0": "o", "1": "l", "&": "a"})


@dataclass(frozen=True)
class Resolution:
    """A printed name, the unit it designates and how it was matched."""

    printed: str
    unit: Unit
    how: How

    @property
    def official(self) -> bool:
        """Whether the printed spelling is the unit's own name or short name."""
        return self.how == "official"


def _folded(text: str) -> str:
    return fold_diacritics(text).lower()


def _strip_admin(text: str) -> str:
    return re.sub(r"^\s*(?:ubnd|uy ban nhan dan)\s+", "", fold_diacritics(text).lower())


class NameResolver:
    """Resolve printed names on one date inside one reporting unit."""

    def __init__(self, tree: UnitTree, *, on: date, within: str | None, ocr: bool = False) -> None:
        """Scope every lookup to units valid ``on`` and strictly below ``within``."""
        self.tree, self.on, self.within, self.ocr = tree, on, within, ocr
        units = tree.valid_on(on)
        if within is not None:
            below = {u.unit_code for u in tree.descendants(within, on=on)}
            units = [u for u in units if u.unit_code in below]
        self.scope = units

    def _official(self, printed: str, unit: Unit) -> bool:
        keys = name_keys(printed)
        return bool(keys & (name_keys(unit.name) | name_keys(unit.short_name)))

    def _by_type(self, printed: str) -> Unit | None:
        key = normalise_name(re.sub(r"^\s*UBND\s+", "", printed, flags=re.IGNORECASE))
        kinds = TYPE_KINDS.get(key)
        found = [u for u in self.scope if kinds and u.kind.value in kinds]
        return found[0] if len(found) == 1 else None

    def _by_ocr(self, printed: str) -> Unit | None:
        text = _strip_admin(printed)
        first, _sep, rest = text.partition(" ")
        kind = None
        if rest and first.startswith("ph") and len(first) <= 8:  # phuong, phudng
            kind, text = "phuong", rest
        elif rest and first.startswith("x") and len(first) <= 2:  # xa, x&, xi, xd, x4
            kind, text = "xa", rest
        text = text.translate(_OCR_DIGITS)
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, text, _folded(u.short_name)).ratio(), u)
                for u in self.scope
                if kind is None or u.kind.value == kind
            ),
            key=lambda t: -t[0],
        )
        if not scored or scored[0][0] < 0.75:
            return None
        if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.15:
            return None
        return scored[0][1]

    def resolve(self, printed: str) -> Resolution:
        """The unit ``printed`` designates.

        Raises:
            UnknownUnitError: no unit matches (with "did you mean" suggestions).
            AmbiguousUnitError: several units match.
        """
        try:
            unit = self.tree.resolve(printed, on=self.on, within=self.within)
        except UnknownUnitError:
            by_type = self._by_type(printed)
            if by_type is not None:
                return Resolution(printed, by_type, "type")
            by_ocr = self._by_ocr(printed) if self.ocr else None
            if by_ocr is not None:
                return Resolution(printed, by_ocr, "ocr")
            raise
        how: How = "official" if self._official(printed, unit) else "alias"
        if self.ocr and how == "alias" and not self.tree.aliases_of(unit.unit_code):
            how = "ocr"
        return Resolution(printed, unit, how)

    def try_resolve(self, printed: str) -> Resolution | None:
        """Like :meth:`resolve`, but ``None`` when the name is unknown or ambiguous."""
        try:
            return self.resolve(printed)
        except (UnknownUnitError, AmbiguousUnitError):
            return None


def detect_scope(
    tree: UnitTree, names: Iterable[str], *, on: date, ocr: bool = False
) -> str | None:
    """The reporting unit whose subtree resolves the most printed names.

    Districts are tried before the province, so a district report stays scoped to
    its district even where a name also exists elsewhere.

    Raises:
        UserError: no candidate resolves any name.
    """
    printed = list(names)
    roots = [u for u in tree.valid_on(on) if u.kind.value in ("huyen", "tinh")]
    roots.sort(key=lambda u: u.kind.value != "huyen")
    best: tuple[int, str | None] = (0, None)
    for root in roots:
        resolver = NameResolver(tree, on=on, within=root.unit_code, ocr=ocr)
        found = sum(resolver.try_resolve(n) is not None for n in printed)
        if found > best[0]:
            best = (found, root.unit_code)
    if best[1] is None:
        raise UserError(
            _("no unit of the report's table is known on {day}").format(day=f"{on:%d/%m/%Y}"),
            hint=_("give the reporting unit (--unit) and the period, or check the unit names"),
        )
    return best[1]
