"""The national unit tree from 1/7/2025: 34 provinces, 3,321 commune-level units.

Provinces and communes (xã, phường, đặc khu) with their official codes (QĐ 19/2025/QĐ-TTg)
are data: ``data/units/national-2025.csv``, written by ``scripts/vendor_units.py`` from the
maintained PyPI package ``vietnam-provinces`` and checked against it by the tests (facts
only; the package's GPL code is not a run-time dependency — docs/adr/0009).  Provincial
departments (sở, ban, ngành) are data: ``data/units/departments.csv``, the bodies
NĐ 150/2025/NĐ-CP gives every province.

Điện Biên keeps its shipped tree (``data/units/dienbien*.csv``): it also holds the
units before 1/7/2025, with their successors, and the spellings printed in its reports.

The province chiso works for is a setting: ``CHISO_PROVINCE`` (code or name; Điện Biên,
code ``11``, when unset), or ``--province`` where a command offers it.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources

from chiso.domain.unit_names import fold_diacritics, normalise_name
from chiso.domain.units import Unit, UnitKind, UnitTree
from chiso.errors import UserError
from chiso.i18n import _

__all__ = [
    "DEFAULT_PROVINCE",
    "PROVINCE_SETTING",
    "TWO_LEVEL_FROM",
    "Department",
    "ProvinceInfo",
    "commune_units",
    "configured_province",
    "departments",
    "find_province",
    "province_tree",
    "provinces",
]

#: The environment variable naming the province (code or name).
PROVINCE_SETTING = "CHISO_PROVINCE"
#: Điện Biên, the province chiso was built for.
DEFAULT_PROVINCE = "11"

#: First day of the two-level local government (NQ 202/2025/QH15; Luật TCCQĐP 2025).
TWO_LEVEL_FROM = date(2025, 7, 1)

_KINDS = {"xã": UnitKind.XA, "phường": UnitKind.PHUONG, "đặc khu": UnitKind.DAC_KHU}


@dataclass(frozen=True)
class ProvinceInfo:
    """One of the 34 provinces: code ``11``, name ``Điện Biên``, title ``tỉnh Điện Biên``."""

    code: str
    name: str
    title: str
    city: bool

    @property
    def unit_name(self) -> str:
        """ "UBND tỉnh Điện Biên", as a report table prints the province."""
        return f"UBND {self.title}"


@dataclass(frozen=True)
class Department:
    """A provincial department of ``data/units/departments.csv``."""

    unit_slug: str
    name: str
    short_name: str
    required: bool
    confidence: str
    source: str


@functools.cache
def provinces() -> tuple[ProvinceInfo, ...]:
    """The 34 provinces of ``data/units/national-2025.csv``, in code order.

    Examples:
        >>> len(provinces()), provinces()[3].title
        (34, 'tỉnh Điện Biên')
    """
    out = []
    for row in _national_rows():
        if row["province_code"]:
            continue
        city = row["division_type"] == "thành phố trung ương"
        name = row["name"].removeprefix("Thành phố ") if city else row["name"]
        title = f"thành phố {name}" if city else f"tỉnh {name}"
        out.append(ProvinceInfo(row["code"], name, title, city))
    return tuple(out)


def find_province(text: str) -> ProvinceInfo:
    """The province that ``text`` names: its code (``11``, ``1``), its name or its title.

    Names compare without case, spacing or diacritics ("dien bien", "Thành phố Huế").

    Raises:
        UserError: no province or several match.

    Examples:
        >>> find_province("Dien Bien").code, find_province("1").name
        ('11', 'Hà Nội')
    """
    wanted = text.strip()
    if wanted.isdigit():
        found = [p for p in provinces() if int(p.code) == int(wanted)]
    else:
        key = fold_diacritics(normalise_name(wanted))
        for prefix in ("ubnd ", "tinh ", "thanh pho ", "tp "):
            key = key.removeprefix(prefix)
        found = [p for p in provinces() if fold_diacritics(normalise_name(p.name)) == key]
    if len(found) != 1:
        raise UserError(
            _("no province or city is “{wanted}”").format(wanted=wanted),
            hint=_(
                "write the code (11) or the name (Điện Biên) of one of the 34 provinces and "
                "cities; list them with: chiso units --province all"
            ),
        )
    return found[0]


def configured_province(environ: Mapping[str, str] | None = None) -> ProvinceInfo:
    """The province of the ``CHISO_PROVINCE`` setting, Điện Biên when it is unset or empty.

    Raises:
        UserError: the setting names no province (the message names the setting).
    """
    value = (os.environ if environ is None else environ).get(PROVINCE_SETTING, "").strip()
    try:
        return find_province(value or DEFAULT_PROVINCE)
    except UserError as error:
        raise UserError(f"{PROVINCE_SETTING}: {error.message}", hint=error.hint) from None


@functools.cache
def departments() -> tuple[Department, ...]:
    """The departments of ``data/units/departments.csv`` (NĐ 150/2025/NĐ-CP, SEC)."""
    path = resources.files("chiso") / "data" / "units" / "departments.csv"
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        return tuple(
            Department(
                r["unit_slug"], r["name"], r["short_name"], r["required"] == "yes",
                r["confidence"], r["source"],
            )
            for r in csv.DictReader(fh)
        )  # fmt: skip


@functools.cache
def _national_rows() -> tuple[dict[str, str], ...]:
    """The rows of ``data/units/national-2025.csv``: provinces (no ``province_code``)
    and commune-level units, in code order within each province."""
    path = resources.files("chiso") / "data" / "units" / "national-2025.csv"
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def _communes(info: ProvinceInfo) -> list[Unit]:
    units = []
    for row in _national_rows():
        if row["province_code"] != info.code:
            continue
        type_word = row["division_type"]
        short = row["name"][len(type_word) :].strip()
        code = row["code"]
        units.append(
            Unit(code, code, f"UBND {type_word} {short}", short, _KINDS[type_word], info.code,
                 TWO_LEVEL_FROM, None, None)
        )  # fmt: skip
    return sorted(units, key=lambda u: u.unit_code)


@functools.cache
def _tree(code: str) -> UnitTree:
    if code == DEFAULT_PROVINCE:
        return UnitTree.dienbien()
    info = find_province(code)
    root = Unit(
        info.code, info.code, info.unit_name, info.name, UnitKind.TINH, None, TWO_LEVEL_FROM,
        None, None,
    )  # fmt: skip
    depts = [
        Unit(f"{d.unit_slug}-{info.code}", None, f"{d.name} {info.title}", d.short_name,
             UnitKind.SO, info.code, TWO_LEVEL_FROM, None, None)
        for d in departments() if d.required
    ]  # fmt: skip
    return UnitTree([root, *depts, *_communes(info)])


def province_tree(province: str | ProvinceInfo | None = None) -> UnitTree:
    """The unit tree of a province (code, name or :class:`ProvinceInfo`; default: the setting).

    Điện Biên (``11``) is the shipped tree, with its units before 1/7/2025 and their
    successors.  Any other province is built from 1/7/2025: its root (``unit_code`` = the
    province code), the required departments of ``data/units/departments.csv``
    (``so-tu-phap-12``) and its communes with their official codes.

    Examples:
        >>> tree = province_tree("Lai Châu")
        >>> tree.get("12").name, sum(u.kind.value in ("xa", "phuong") for u in tree)
        ('UBND tỉnh Lai Châu', 38)
    """
    if province is None:
        info = configured_province()
    elif isinstance(province, ProvinceInfo):
        info = province
    else:
        info = find_province(province)
    return _tree(info.code)


def commune_units(info: ProvinceInfo) -> list[Unit]:
    """The commune-level units of a province from 1/7/2025, with their official codes."""
    return _communes(info)
