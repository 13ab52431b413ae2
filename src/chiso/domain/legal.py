"""The legal basis by date: which instruments are in force for a period.

The register is data (``data/legal/instruments.yaml``): each instrument's number, the
citation a report prints, its first and last day in force, what replaced it, and the
index sets it is cited with.  :func:`instruments_for` answers "what was in force during
this period"; :func:`cite` turns an index set's own legal basis into the list a report
prints for a period (NĐ 61/2018 and TT 01/2018 until 30/6/2025, NĐ 118/2025 and
TT 03/2025 after; TT 04/2025 from 25/01/2026; NĐ 224/2026 instead of NĐ 42/2022 from
1/7/2026).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml

from chiso.errors import UserError

__all__ = ["Instrument", "cite", "instruments_for", "register"]

_REGISTER = "data/legal/instruments.yaml"


@dataclass(frozen=True)
class Instrument:
    """One instrument of the register; ``in_force_to`` is inclusive, ``None`` = in force."""

    id: str
    number: str
    citation: str
    issued: date
    in_force_from: date
    in_force_to: date | None
    replaced_by: tuple[str, ...]
    cited_with: tuple[str, ...]
    confidence: str
    source: str

    def in_force_during(self, start: date, end: date) -> bool:
        """Tell whether the instrument is in force on some day of ``[start, end]``."""
        return self.in_force_from <= end and (self.in_force_to is None or start <= self.in_force_to)


def _day(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    raise UserError(f"{_REGISTER}: {where}: {value!r} is not a date", hint="write YYYY-MM-DD")


def _instrument(raw: dict[str, Any]) -> Instrument:
    where = f"instrument {raw.get('id', '?')}"
    start = _day(raw.get("in_force_from"), where)
    issued = _day(raw.get("issued"), where)
    if start is None or issued is None or not raw.get("citation") or not raw.get("number"):
        raise UserError(
            f"{_REGISTER}: {where} lacks number, citation, issued or in_force_from",
            hint="every instrument needs these four fields",
        )
    return Instrument(
        id=str(raw["id"]),
        number=str(raw["number"]),
        citation=str(raw["citation"]),
        issued=issued,
        in_force_from=start,
        in_force_to=_day(raw.get("in_force_to"), where),
        replaced_by=tuple(raw.get("replaced_by") or ()),
        cited_with=tuple(raw.get("cited_with") or ()),
        confidence=str(raw.get("confidence", "")),
        source=str(raw.get("source", "")),
    )


@functools.cache
def register() -> tuple[Instrument, ...]:
    """The shipped register, in file order (loaded once).

    Raises:
        UserError: a field is missing or a ``replaced_by`` names no instrument.
    """
    text = (resources.files("chiso") / _REGISTER).read_text(encoding="utf-8")
    items = tuple(_instrument(raw) for raw in yaml.safe_load(text)["instruments"])
    known = {i.id for i in items}
    for item in items:
        for successor in item.replaced_by:
            if successor not in known:
                raise UserError(
                    f"{_REGISTER}: {item.id} is replaced by unknown instrument {successor!r}",
                    hint="add the successor to the register or fix the id",
                )
    return items


def _bounds(start: date, end: date | None) -> tuple[date, date]:
    return start, end if end is not None else start


def instruments_for(start: date, end: date | None = None) -> list[Instrument]:
    """The instruments in force on some day of ``[start, end]`` (one day without ``end``).

    Examples:
        >>> [i.number for i in instruments_for(date(2025, 6, 30))][:2]
        ['61/2018/NĐ-CP', '01/2018/TT-VPCP']
        >>> [i.number for i in instruments_for(date(2026, 7, 1))]
        ['118/2025/NĐ-CP', '03/2025/TT-VPCP', '04/2025/TT-VPCP', '224/2026/NĐ-CP']
    """
    first, last = _bounds(start, end)
    return [i for i in register() if i.in_force_during(first, last)]


def _successors(
    item: Instrument, first: date, last: date, by_id: dict[str, Instrument]
) -> list[str]:
    """Citations of what replaced ``item`` and is in force in ``[first, last]``, when
    ``item`` ended before ``last`` (recursively: a successor may itself have ended)."""
    if item.in_force_to is None or item.in_force_to >= last:
        return []
    out: list[str] = []
    for successor in (by_id[s] for s in item.replaced_by):
        if successor.in_force_during(first, last):
            out.append(successor.citation)
        out.extend(_successors(successor, first, last, by_id))
    return out


def _named(entry: str) -> Instrument | None:
    """The register instrument an entry is about: the one whose number comes first."""
    found = [(entry.find(i.number), n, i) for n, i in enumerate(register()) if i.number in entry]
    return min(found)[2] if found else None


def cite(
    basis: Sequence[str], index_set_id: str, start: date, end: date | None = None
) -> list[str]:
    """What a report on ``[start, end]`` cites, given an index set's own legal ``basis``.

    Each basis entry that names an instrument of the register (by its number, the first
    one it names) is kept while that instrument is in force during the period; when the
    instrument ended before the period's last day its successors in force follow it
    (a period across the change cites both).  An entry naming no instrument (a
    provincial decision) is kept.  Instruments listed ``cited_with`` the index set are
    added the same way.  No citation appears twice.

    Examples:
        >>> basis = ["Nghị định số 61/2018/NĐ-CP ...", "Quyết định số 1187/QĐ-UBND ..."]
        >>> [c[:30] for c in cite(basis, "nd61-tt01-2018", date(2026, 1, 1))]
        ['Nghị định số 118/2025/NĐ-CP ng', 'Quyết định số 1187/QĐ-UBND ...']
    """
    first, last = _bounds(start, end)
    by_id = {i.id: i for i in register()}
    out: list[str] = []
    for entry in basis:
        named = _named(entry)
        if named is None or named.in_force_during(first, last):
            out.append(entry)
        if named is not None:
            out.extend(_successors(named, first, last, by_id))
    cited = {named.id for entry in out if (named := _named(entry)) is not None}
    for item in register():
        if index_set_id in item.cited_with and item.id not in cited:
            if item.in_force_during(first, last):
                out.append(item.citation)
            out.extend(_successors(item, first, last, by_id))
    return list(dict.fromkeys(out))
