"""Which province a portal row is of, and the province of the unit tree.

The portal writes a unit's province in three places: the code (``H44``, ``H44.100``,
Lạng Sơn's ``000.00.00.H37``), the name suffix of departments and communes ("Sở Tư pháp
- Tỉnh Phú Thọ", "… - tỉnh An Giang") and the root's own name ("UBND tỉnh Phú Thọ").
The 34 provinces' codes are listed in ``data/portal/provinces.csv`` (OBS: the legacy
``report_tinh_766_service`` export of 10/2025 in ``shared/realdata``).  A row whose
province is known and is not the tree's is never matched by name: its rows would land
on the tree province's units of the same name (the Phú Thọ capture stored under Điện
Biên's codes, issue 17).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources

from chiso.domain.unit_names import normalise_name
from chiso.domain.units import UnitKind, UnitTree
from chiso.i18n import _
from chiso.portal.rows import PortalUnitRef

__all__ = ["Place", "TreeProvince", "place_of", "portal_provinces", "strip_suffix"]

_CODE = re.compile(r"(?:^|\.)(H\d{2})(?:\.|$)")
# " - Tỉnh Phú Thọ", " - Thành phố Hà Nội", " - TP Huế" appended by the portal.
_SUFFIX = re.compile(r"\s+-\s+(?:tỉnh|thành phố|tp\.?)\s+(\S.*)$", re.IGNORECASE)
# "UBND tỉnh Phú Thọ", "Tỉnh Sơn La", "UBND Thành phố Huế": a province's own row.
_ROOT = re.compile(r"^(?:ubnd\s+)?(?:tỉnh|thành phố|tp\.?)\s+(\S.*)$", re.IGNORECASE)
_TYPE = re.compile(r"^(?:tỉnh|thành phố)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """A province as a row names it: its short name ("Phú Thọ") and portal code if known."""

    name: str
    code: str | None = None

    @property
    def label(self) -> str:
        """ "tỉnh Phú Thọ (H44)"."""
        known = next((p for p in portal_provinces() if p.code == self.code), None)
        if known is None:
            known = next((p for p in portal_provinces() if _same(p.name, self.name)), None)
        if known is None and self.name == self.code:
            return _("the province with the code {code} on the portal").format(code=self.code)
        title = known.title if known is not None else f"tỉnh {self.name}"
        code = self.code or (known.code if known is not None else None)
        return f"{title} ({code})" if code else title


@dataclass(frozen=True)
class _Province:
    code: str
    title: str  # "tỉnh An Giang", "Thành phố Huế"
    name: str  # "An Giang"


def _same(a: str, b: str) -> bool:
    return normalise_name(a) == normalise_name(b)


@functools.cache
def portal_provinces() -> tuple[_Province, ...]:
    """The 34 provinces' portal codes (``data/portal/provinces.csv``)."""
    path = resources.files("chiso") / "data" / "portal" / "provinces.csv"
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        return tuple(
            _Province(r["portal_code"], r["name"], _TYPE.sub("", r["name"]))
            for r in csv.DictReader(fh)
        )


def _by_name(name: str) -> Place:
    known = next((p for p in portal_provinces() if _same(p.name, name)), None)
    return Place(known.name, known.code) if known is not None else Place(name.strip())


def place_of(ref: PortalUnitRef, *, root: bool) -> Place | None:
    """The province ``ref`` says it belongs to (code first, then its name), if it says."""
    match = _CODE.search(ref.portal_code or "")
    if match:
        known = next((p for p in portal_provinces() if p.code == match.group(1)), None)
        return Place(known.name if known else match.group(1), match.group(1))
    name = unicodedata.normalize("NFC", ref.name).strip()
    suffix = _SUFFIX.search(name)
    if suffix:
        return _by_name(suffix.group(1))
    own = _ROOT.match(name) if root else None
    return _by_name(own.group(1)) if own else None


def strip_suffix(name: str, province: str | None) -> str:
    """NFC ``name`` without the portal's suffix when (and only when) it names ``province``.

    Examples:
        >>> strip_suffix("Sở Tư pháp - Tỉnh Điện Biên", "Điện Biên")
        'Sở Tư pháp'
        >>> strip_suffix("Sở Tư pháp - Tỉnh Phú Thọ", "Điện Biên")
        'Sở Tư pháp - Tỉnh Phú Thọ'
    """
    text = unicodedata.normalize("NFC", name).strip()
    suffix = _SUFFIX.search(text)
    if suffix and province is not None and _same(suffix.group(1), province):
        return text[: suffix.start()]
    return text


@dataclass(frozen=True)
class TreeProvince:
    """The unit tree's province on a day: its unit, short name and portal code."""

    unit_code: str
    name: str
    code: str | None

    @classmethod
    def of(cls, tree: UnitTree, on: date, known: dict[str, str]) -> TreeProvince | None:
        """The one province of ``tree`` valid on ``on`` (``known``: unit code → portal code)."""
        provinces = [u for u in tree.valid_on(on) if u.kind is UnitKind.TINH]
        if len(provinces) != 1:
            return None
        unit = provinces[0]
        name = _TYPE.sub("", unit.short_name or unit.name.removeprefix("UBND ").strip())
        code = known.get(unit.unit_code) or _by_name(name).code
        return cls(unit.unit_code, name, code)

    def holds(self, place: Place) -> bool:
        """Tell whether ``place`` is this province."""
        if place.code is not None and self.code is not None:
            return place.code == self.code
        return _same(place.name, self.name)

    @property
    def label(self) -> str:
        """ "tỉnh Điện Biên (H18)"."""
        return Place(self.name, self.code).label
