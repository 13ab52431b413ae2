"""The unit tree: who reports to whom, on which date, under which names.

Units are keyed by ``unit_code``, chiso's identifier across all time (the GSO
code alone is not enough: codes were reused with another meaning on 1/7/2025):

* province ``11``; pre-2025 districts by GSO district code ``094`` … ``103``;
* post-1/7/2025 commune-level units by their official code (``03127``);
* pre-1/7/2025 communes by ``<old GSO code>-cu`` (``03127-cu`` = old P. Him Lam);
* provincial departments ``so-<slug>`` (also ``ban-dan-toc``, ``thanh-tra-tinh``);
  district offices ``<district>-<slug>`` (``100-tu-phap``); a district one-stop
  desk ``<district>-bptn``; the provincial public-service centre ``ttpvhcc-11``.

Parents and names change over time, so every query takes a date. Name
resolution never guesses by similarity: it accepts an exact code, an exact
normalised name, short name or alias, or a diacritic-insensitive match that is
unique in scope; anything else raises with "did you mean" suggestions.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import os
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from chiso.domain.unit_names import NameQuery, fold_diacritics, name_keys, normalise_name
from chiso.errors import UserError
from chiso.i18n import _

__all__ = [
    "COMMUNE_KINDS",
    "DEPARTMENT_KINDS",
    "RANKING_BLOCKS",
    "AmbiguousUnitError",
    "ParentLink",
    "RankingBlock",
    "Unit",
    "UnitAlias",
    "UnitKind",
    "UnitTree",
    "UnknownUnitError",
    "fold_diacritics",
    "normalise_name",
]


class UnitKind(StrEnum):
    """Kind of a unit; districts, towns and cities at district level are ``HUYEN``."""

    TINH = "tinh"
    SO = "so"
    HUYEN = "huyen"
    XA = "xa"
    PHUONG = "phuong"
    THI_TRAN = "thi_tran"
    DAC_KHU = "dac_khu"
    TRUNG_TAM = "trung_tam"
    PHONG = "phong"


# The province ranks these apart (reports' Biểu 01 sections, the site's ranking blocks):
# the departments (sở, ban, ngành and units like them) and the communes.
DEPARTMENT_KINDS = ("so", "phong", "trung_tam")
COMMUNE_KINDS = ("xa", "phuong", "thi_tran", "dac_khu")


@dataclass(frozen=True)
class RankingBlock:
    """Units of these kinds are ranked among themselves (rank 1..n in each block)."""

    code: str
    label: str
    kinds: tuple[str, ...]

    @property
    def level(self) -> str:
        """The engine's level of the block's units (``kind:so,phong,trung_tam``)."""
        return "kind:" + ",".join(self.kinds)


RANKING_BLOCKS = (
    RankingBlock("co_quan", "Cơ quan chuyên môn thuộc UBND tỉnh", DEPARTMENT_KINDS),
    RankingBlock("xa", "UBND xã, phường", COMMUNE_KINDS),
)


@dataclass(frozen=True)
class Unit:
    """One unit with its validity; ``valid_to`` is inclusive, ``None`` means open."""

    unit_code: str
    gso_code: str | None
    name: str
    short_name: str
    kind: UnitKind
    parent_code: str | None
    valid_from: date
    valid_to: date | None
    successor_code: str | None

    def is_valid_on(self, d: date) -> bool:
        """Tell whether the unit exists on day ``d`` (both ends inclusive)."""
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


@dataclass(frozen=True)
class ParentLink:
    """``unit_code`` was under ``parent_code`` from ``valid_from`` to ``valid_to`` (inclusive)."""

    unit_code: str
    parent_code: str
    valid_from: date
    valid_to: date | None

    def covers(self, d: date) -> bool:
        """Tell whether the link holds on day ``d``."""
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


@dataclass(frozen=True)
class UnitAlias:
    """A spelling printed somewhere (``source``) for ``unit_code``."""

    unit_code: str
    alias: str
    source: str


class UnknownUnitError(UserError):
    """No unit matches a code or name in the requested scope."""

    def __init__(
        self, message: str, *, hint: str | None = None, suggestions: Sequence[str] = ()
    ) -> None:
        """Keep the suggested units (described as "name (code, under parent)")."""
        super().__init__(message, hint=hint)
        self.suggestions = list(suggestions)


class AmbiguousUnitError(UserError):
    """A name matches several units in the requested scope."""

    def __init__(
        self, message: str, *, hint: str | None = None, candidates: Sequence[Unit] = ()
    ) -> None:
        """Keep the candidate units so that callers can show or pick among them."""
        super().__init__(message, hint=hint)
        self.candidates = list(candidates)


# --- loading ---------------------------------------------------------------------------------

_Source = str | os.PathLike[str] | Traversable
_UNIT_COLUMNS = [
    "unit_code", "gso_code", "name", "short_name", "kind", "parent_code",
    "valid_from", "valid_to", "successor_code",
]  # fmt: skip


def _read_rows(source: _Source, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    path = source if isinstance(source, Traversable) else Path(source)
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != list(columns):
            raise UserError(
                _("{path}: columns are {fieldnames}, expected {columns}").format(
                    path=path, fieldnames=reader.fieldnames, columns=list(columns)
                ),
                hint=_("keep the header row exactly as documented in data/units/README.md"),
            )
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if any(not unicodedata.is_normalized("NFC", v) for v in row.values()):
                raise UserError(
                    _("{where}: text is not Unicode NFC").format(where=where),
                    hint=_("re-save it as NFC"),
                )
            yield reader.line_num, {k: v.strip() for k, v in row.items()}


def _parse_date(text: str, where: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise UserError(
            _("{where}: “{text}” is not a date").format(where=where, text=text),
            hint=_("write YYYY-MM-DD"),
        ) from None


def _required_date(text: str, where: str) -> date:
    d = _parse_date(text, where)
    if d is None:
        raise UserError(
            _("{where}: valid_from is empty").format(where=where),
            hint=_("every row needs a start date"),
        )
    return d


def _unit_from_row(row: dict[str, str], where: str) -> Unit:
    try:
        kind = UnitKind(row["kind"])
    except ValueError:
        kinds = ", ".join(k.value for k in UnitKind)
        raise UserError(
            _("{where}: unknown kind “{row}”").format(where=where, row=row["kind"]),
            hint=_("use {kinds}").format(kinds=kinds),
        ) from None
    return Unit(
        unit_code=row["unit_code"],
        gso_code=row["gso_code"] or None,
        name=row["name"],
        short_name=row["short_name"],
        kind=kind,
        parent_code=row["parent_code"] or None,
        valid_from=_required_date(row["valid_from"], where),
        valid_to=_parse_date(row["valid_to"], where),
        successor_code=row["successor_code"] or None,
    )


def _read_links(source: _Source) -> list[ParentLink]:
    links = []
    for n, r in _read_rows(source, ["unit_code", "parent_code", "valid_from", "valid_to"]):
        where = f"{source}:{n}"
        start, end = _required_date(r["valid_from"], where), _parse_date(r["valid_to"], where)
        links.append(ParentLink(r["unit_code"], r["parent_code"], start, end))
    return links


@functools.cache
def _dienbien_tree() -> UnitTree:
    folder = resources.files("chiso") / "data" / "units"
    return UnitTree.from_csv(
        folder / "dienbien.csv",
        parents_path=folder / "dienbien_parents.csv",
        aliases_path=folder / "dienbien_aliases.csv",
    )


# --- the tree --------------------------------------------------------------------------------


class UnitTree:
    """Units, their dated parent links and their aliases; read-only once built."""

    def __init__(
        self,
        units: Iterable[Unit],
        *,
        parent_links: Iterable[ParentLink] = (),
        aliases: Iterable[UnitAlias] = (),
    ) -> None:
        """Build the tree; a unit without parent links is under ``parent_code`` while valid."""
        self._units: dict[str, Unit] = {}
        for unit in units:
            if unit.unit_code in self._units:
                raise UserError(
                    _("unit code “{unit_code}” is defined twice").format(unit_code=unit.unit_code)
                )
            self._units[unit.unit_code] = unit
        explicit: dict[str, list[ParentLink]] = {}
        for link in parent_links:
            self._require(link.unit_code, "parent link")
            explicit.setdefault(link.unit_code, []).append(link)
        self._links: dict[str, list[ParentLink]] = {}
        self._children: dict[str, list[ParentLink]] = {}
        for code, unit in self._units.items():
            links = explicit.get(code, [])
            if not links and unit.parent_code:
                links = [ParentLink(code, unit.parent_code, unit.valid_from, unit.valid_to)]
            for link in links:
                self._require(link.parent_code, f"parent of {code}")
                self._children.setdefault(link.parent_code, []).append(link)
            self._links[code] = links
            if unit.successor_code:
                self._require(unit.successor_code, f"successor of {code}")
        self._aliases: dict[str, list[str]] = {}
        for alias in aliases:
            self._require(alias.unit_code, f"alias {alias.alias!r}")
            self._aliases.setdefault(alias.unit_code, []).append(alias.alias)
        self._index = self._build_index()

    def _require(self, code: str, what: str) -> None:
        if code not in self._units:
            raise UserError(
                _("{what}: unknown unit code “{code}”").format(what=what, code=code),
                hint=_("define the unit first"),
            )

    @classmethod
    def from_csv(
        cls,
        units_path: _Source,
        parents_path: _Source | None = None,
        aliases_path: _Source | None = None,
    ) -> UnitTree:
        """Load the three CSV files described in ``data/units/README.md``."""
        rows = _read_rows(units_path, _UNIT_COLUMNS)
        units = [_unit_from_row(r, f"{units_path}:{n}") for n, r in rows]
        links = _read_links(parents_path) if parents_path is not None else []
        aliases = []
        if aliases_path is not None:
            rows = _read_rows(aliases_path, ["unit_code", "alias", "source"])
            aliases = [UnitAlias(r["unit_code"], r["alias"], r["source"]) for _, r in rows]
        return cls(units, parent_links=links, aliases=aliases)

    @classmethod
    def dienbien(cls) -> UnitTree:
        """The shipped Điện Biên tree (loaded once, then cached)."""
        return _dienbien_tree()

    def __contains__(self, code: object) -> bool:
        """Tell whether ``code`` is a ``unit_code`` of the tree (any date)."""
        return code in self._units

    def __iter__(self) -> Iterator[Unit]:
        """Every unit of every date, in file order."""
        return iter(self._units.values())

    def __len__(self) -> int:
        """Number of units of every date."""
        return len(self._units)

    def get(self, code: str) -> Unit:
        """The unit with this ``unit_code``; raises :class:`UnknownUnitError`."""
        try:
            return self._units[code]
        except KeyError:
            close = difflib.get_close_matches(code, list(self._units), n=3)
            raise UnknownUnitError(
                _("no unit with code “{code}”").format(code=code),
                hint=_("did you mean {choices}?").format(choices=", ".join(close))
                if close
                else "see data/units/README.md",
                suggestions=close,
            ) from None

    def aliases_of(self, code: str) -> list[str]:
        """Aliases recorded for ``code`` (spellings printed in reports)."""
        return list(self._aliases.get(self.get(code).unit_code, []))

    def valid_on(self, d: date) -> list[Unit]:
        """Every unit that exists on day ``d``."""
        return [u for u in self._units.values() if u.is_valid_on(d)]

    def parent_of(self, code: str, *, on: date | None = None) -> str | None:
        """Parent code on day ``on``; without a date, the parent of the unit's last day."""
        unit = self.get(code)
        if on is None:
            return unit.parent_code
        return next((lk.parent_code for lk in self._links[code] if lk.covers(on)), None)

    def children(self, code: str, *, on: date | None = None) -> list[Unit]:
        """Direct children on day ``on``; without a date, every unit ever directly under it."""
        self.get(code)
        seen: dict[str, Unit] = {}
        for link in self._children.get(code, []):
            unit = self._units[link.unit_code]
            if on is None or (link.covers(on) and unit.is_valid_on(on)):
                seen.setdefault(unit.unit_code, unit)
        return list(seen.values())

    def descendants(
        self, code: str, *, on: date | None = None, include_self: bool = False
    ) -> list[Unit]:
        """Every unit below ``code`` (breadth first), optionally ``code`` itself first."""
        out = [self.get(code)] if include_self else []
        seen, queue = {code}, [code]
        while queue:
            for child in self.children(queue.pop(0), on=on):
                if child.unit_code not in seen:
                    seen.add(child.unit_code)
                    out.append(child)
                    queue.append(child.unit_code)
        return out

    def ancestors(self, code: str, *, on: date | None = None) -> list[Unit]:
        """Parent, grandparent, … of ``code`` on day ``on``, nearest first."""
        out: list[Unit] = []
        seen = {code}
        parent = self.parent_of(code, on=on)
        while parent is not None and parent not in seen:
            seen.add(parent)
            out.append(self._units[parent])
            parent = self.parent_of(parent, on=on)
        return out

    def closure(self, *, on: date | None = None) -> list[tuple[str, str]]:
        """Every ``(unit_code, ancestor_code)`` pair, ``(u, u)`` included, for pooled scoring.

        With ``on``, only units valid that day and the links of that day; without, every
        unit with its last-day links.
        """
        units = self.valid_on(on) if on is not None else list(self)
        pairs: list[tuple[str, str]] = []
        for unit in units:
            pairs.append((unit.unit_code, unit.unit_code))
            ancestors = self.ancestors(unit.unit_code, on=on)
            pairs.extend((unit.unit_code, a.unit_code) for a in ancestors)
        return pairs

    def successor_on(self, code: str, d: date) -> Unit | None:
        """The unit that carries ``code``'s role on day ``d``, following successor chains.

        ``code`` itself if valid on ``d``; ``None`` when ``d`` precedes it or the chain ends
        (districts and their offices were abolished without successor).
        """
        unit, seen = self.get(code), {code}
        while not unit.is_valid_on(d):
            if d < unit.valid_from or unit.successor_code in (None, *seen):
                return None
            assert unit.successor_code is not None
            seen.add(unit.successor_code)
            unit = self._units[unit.successor_code]
        return unit

    # --- name resolution ---------------------------------------------------------------------

    def _build_index(self) -> dict[str, dict[str, set[str]]]:
        """Map every key of every name, short name and alias to unit codes."""
        index: dict[str, dict[str, set[str]]] = {"exact": {}, "folded": {}}
        for code, unit in self._units.items():
            for text in (unit.name, unit.short_name, *self._aliases.get(code, [])):
                for key in name_keys(text):
                    index["exact"].setdefault(key, set()).add(code)
                    index["folded"].setdefault(fold_diacritics(key), set()).add(code)
        return index

    def _scope(self, on: date | None, within: str | None) -> set[str]:
        units = self.valid_on(on) if on is not None else list(self)
        codes = {u.unit_code for u in units}
        if within is not None:
            codes &= {u.unit_code for u in self.descendants(within, on=on)}
        return codes

    def resolve(self, name: str, *, on: date | None = None, within: str | None = None) -> Unit:
        """Find the one unit that ``name`` designates.

        Every step is restricted to units valid on ``on`` and strictly below ``within``:
        exact ``unit_code``; the GSO code if unique; then the normalised name, short name
        or alias, compared both whole and with "UBND" and a leading unit-type word
        (xã, phường, thị trấn, huyện, thị xã, thành phố, tỉnh, phòng, sở; TP, TX, TT)
        stripped, preferring units of the kind that word names; then the same ignoring
        diacritics. The first step with matches decides: one match is the answer,
        several raise :class:`AmbiguousUnitError`. No match raises
        :class:`UnknownUnitError` with up to three suggestions; similarity alone never
        resolves a name.

        Examples:
            >>> tree = UnitTree.dienbien()
            >>> tree.resolve("UBND xã Ảng Tờ", on=date(2024, 11, 30)).unit_code
            '03292-cu'
            >>> tree.resolve("Muong Thanh", on=date(2023, 12, 31), within="094").unit_code
            '03136-cu'
        """
        scope = self._scope(on, within)
        text = name.strip()
        if text in scope:
            return self._units[text]
        by_gso = [c for c in scope if self._units[c].gso_code == text]
        if len(by_gso) == 1:
            return self._units[by_gso[0]]
        q = NameQuery.parse(text)
        for index, keys in (("exact", q.keys), ("folded", q.folded_keys)):
            found = {c for k in keys for c in self._index[index].get(k, ()) if c in scope}
            preferred = {c for c in found if q.kinds is None or self._units[c].kind in q.kinds}
            found = preferred or found
            if len(found) == 1:
                return self._units[found.pop()]
            if found:
                raise self._ambiguous(name, sorted(found), on)
        raise self._unknown(name, q, scope, on, within)

    def _describe(self, unit: Unit, on: date | None) -> str:
        parent = self.parent_of(unit.unit_code, on=on)
        under = (
            _(", under {name} ({code})").format(name=self._units[parent].name, code=parent)
            if parent
            else ""
        )
        return f"{unit.name} ({unit.unit_code}{under})"

    def _ambiguous(self, name: str, codes: list[str], on: date | None) -> AmbiguousUnitError:
        units = [self._units[c] for c in codes]
        listed = "; ".join(self._describe(u, on) for u in units)
        return AmbiguousUnitError(
            _("“{name}” matches {count} units: {listed}").format(
                name=name, count=len(units), listed=listed
            ),
            hint=_("give the report date (on=) and the reporting unit (within=), or the unit code"),
            candidates=units,
        )

    def _unknown(
        self, name: str, q: NameQuery, scope: set[str], on: date | None, within: str | None
    ) -> UnknownUnitError:
        by_key: dict[str, str] = {}
        for key, codes in self._index["folded"].items():
            for code in sorted(codes & scope):
                by_key.setdefault(key, code)
        target = min(q.folded_keys, key=len)
        close = difflib.get_close_matches(target, list(by_key), n=10, cutoff=0.6)
        nearest = list(dict.fromkeys(by_key[k] for k in close))[:3]
        suggestions = [self._describe(self._units[c], on) for c in nearest]
        where = (_(" valid on {day}").format(day=f"{on:%d/%m/%Y}") if on else "") + (
            _(" within {name} ({code})").format(name=self._units[within].name, code=within)
            if within
            else ""
        )
        hint = (
            _("did you mean {choices}?").format(choices=_(" or ").join(suggestions))
            if suggestions
            else None
        )
        return UnknownUnitError(
            _("no unit named “{name}”{where}").format(name=name, where=where),
            hint=hint or _("check the spelling, the date and the reporting unit, or add an alias"),
            suggestions=suggestions,
        )
