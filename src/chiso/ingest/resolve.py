"""Turn the unit and procedure names of an export into codes, with "did you mean".

Only distinct values are looked up (a million dossiers name a few hundred units and
procedures), and every answer is cached for the whole import.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from chiso.domain.unit_names import normalise_name
from chiso.domain.units import AmbiguousUnitError, UnitTree, UnknownUnitError
from chiso.i18n import _

__all__ = ["Lookup", "ProcedureLookup", "UnitLookup"]

Lookup = tuple[str | None, str | None]  # (code, problem sentence)
_EPOCH = date(1970, 1, 1)


@dataclass
class UnitLookup:
    """Unit codes from names or codes, checked against the unit tree on a date."""

    tree: UnitTree
    _cache: dict[tuple[str, date | None], Lookup] = field(default_factory=dict)
    _bounds: np.ndarray | None = None

    def epochs(self, days: np.ndarray) -> np.ndarray:
        """The epoch of each day (days since 1970; -1 for the minimum int64: no day).

        Within an epoch the same units are valid, so a name or code resolves to the same
        unit on every day of it.
        """
        if self._bounds is None:
            starts = {(u.valid_from - _EPOCH).days for u in self.tree}
            ends = {(u.valid_to - _EPOCH).days + 1 for u in self.tree if u.valid_to is not None}
            self._bounds = np.array(sorted(starts | ends), dtype=np.int64)
        found = np.searchsorted(self._bounds, days, side="right").astype(np.int64)
        return np.where(days == np.iinfo(np.int64).min, -1, found)

    def by_name(self, name: str, on: date | None) -> Lookup:
        """The code of the unit called ``name`` on day ``on``."""
        key = (name, on)
        if key not in self._cache:
            self._cache[key] = self._resolve(name, on)
        return self._cache[key]

    def _resolve(self, name: str, on: date | None) -> Lookup:
        try:
            return self.tree.resolve(name, on=on).unit_code, None
        except AmbiguousUnitError as exc:
            names = ", ".join(f"{u.name} ({u.unit_code})" for u in exc.candidates[:3])
            return None, _("the name matches several units: {names}; write the unit code").format(
                names=names
            )
        except UnknownUnitError as exc:
            if on is not None:
                code, _problem = self._resolve(name, None)
                if code is not None:
                    return None, self._not_valid(code, on)
            if exc.suggestions:
                names = ", ".join(exc.suggestions)
                return None, _("no such unit; did you mean {names}?").format(names=names)
            return None, _("no such unit")

    def check_code(self, code: str, on: date | None) -> str | None:
        """A problem sentence when ``code`` is unknown or not valid on ``on``."""
        key = ("\0" + code, on)
        if key not in self._cache:
            problem: str | None = None
            if code not in self.tree:
                problem = _("no such unit code; see the units table (docs/data-model.md)")
            elif on is not None and not self.tree.get(code).is_valid_on(on):
                problem = self._not_valid(code, on)
            self._cache[key] = (code, problem)
        return self._cache[key][1]

    def _not_valid(self, code: str, on: date) -> str:
        unit = self.tree.get(code)
        successor = self.tree.successor_on(code, on)
        if successor is None:
            return _("{name} ({code}) did not exist yet or any more on {on:%d/%m/%Y}").format(
                name=unit.name, code=code, on=on
            )
        return _(
            "{name} ({code}) did not exist yet or any more on {on:%d/%m/%Y}; "
            "its successor then was {successor} ({successor_code})"
        ).format(
            name=unit.name, code=code, on=on,
            successor=successor.name, successor_code=successor.unit_code,
        )  # fmt: skip


@dataclass
class ProcedureLookup:
    """Procedure codes from codes or names, against the known procedures."""

    names: dict[str, str]  # normalised name → code
    codes: set[str]
    _cache: dict[str, Lookup] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str]]) -> ProcedureLookup:
        """Build from ``(procedure_code, name)`` pairs."""
        names: dict[str, str] = {}
        codes: set[str] = set()
        for code, name in rows:
            codes.add(code)
            if name:
                names.setdefault(normalise_name(name), code)
        return cls(names, codes)

    @property
    def empty(self) -> bool:
        """No procedures known: codes cannot be checked."""
        return not self.codes

    def by_name(self, name: str) -> Lookup:
        """The code of the procedure called ``name``."""
        if name not in self._cache:
            key = normalise_name(name)
            code = self.names.get(key)
            if code is not None:
                self._cache[name] = (code, None)
            else:
                close = difflib.get_close_matches(key, list(self.names), n=2, cutoff=0.8)
                problem = (
                    _("no procedure of this name; did you mean {names}?").format(
                        names=_either([repr(c) for c in close])
                    )
                    if close
                    else _("no procedure of this name")
                )
                self._cache[name] = (None, problem)
        return self._cache[name]

    def check_code(self, code: str) -> str | None:
        """A problem sentence when the procedure code is not known."""
        if self.empty or code in self.codes:
            return None
        close = difflib.get_close_matches(code, list(self.codes), n=2, cutoff=0.8)
        if close:
            return _("no such procedure code; did you mean {codes}?").format(codes=_either(close))
        return _("no such procedure code")


def _either(names: list[str]) -> str:
    """``a`` or ``a or b`` (difflib gives at most two)."""
    if len(names) == 1:
        return names[0]
    return _("{first} or {second}").format(first=names[0], second=names[1])
