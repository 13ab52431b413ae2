"""Which records a request may write: by the unit the data *stores*, not the one it sends.

The one scope rule of every write path — pushes (``api/views.py``), uploads
(``imports/scope.py``), kiosk ratings (``ratings/views.py``) and manual values
(``imports/manual.py``):

* a record may be written only when its unit *after* the write (the unit sent) and its
  unit *before* (the one stored, when the record exists) both lie in the writer's scope
  (:meth:`chiso_web.units.access.Access.can_write`), so nobody writes into another unit
  nor takes a record away from it by re-sending its key with their own unit;
* a rating has no unit of its own: it belongs to the unit of its stored dossier, and a
  rating of a dossier the data does not hold is for the province administrator only;
* the stored units of a batch are read with one query over the canonical data, through
  the site's data service (:func:`stored_units`).

A refusal names the record's key and the unit it belongs to (code and name: unit names
are public, the ranking shows them) and nothing else of the record: a writer learns that
the key is taken by another unit, never its dates, status or content
(``docs/security.md``, "Phạm vi ghi").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ibis
from django.utils.translation import gettext, gettext_lazy

from chiso.api import KEYS, Store, UnitTree
from chiso_web import data
from chiso_web.units.access import Access

#: The stored units of each existing record key (a pushed, not yet merged dossier may add
#: a second one).
Stored = Mapping[str, Iterable[str]]

#: What the user calls a record of each table, in refusals.
NOUNS = {
    "dossiers": gettext_lazy("dossier"),
    "ratings": gettext_lazy("rating of dossier"),
    "petitions": gettext_lazy("petition"),
    "manual_values": gettext_lazy("value entered by hand"),
}


@dataclass(frozen=True)
class Write:
    """One record a request writes: its key, the unit sent (None for a rating), and where
    the user wrote it (a file and row, or the position in a pushed batch: ``file`` empty)."""

    key: str
    unit_code: str | None
    file: str = ""
    row: int = 0


@dataclass(frozen=True)
class Refusal:
    """A write outside the scope: the unit it touches (None: a rating of a dossier that
    is not in the data), and whether that unit is the stored one (the record exists in
    another unit) rather than the one sent."""

    write: Write
    unit_code: str | None
    stored: bool

    def reason(self, table: str, tree: UnitTree, whose: str = "") -> str:
        """One Vietnamese sentence (no final period) naming the key and the unit."""
        key = self.write.key
        if self.unit_code is None:
            return gettext(
                "dossier %(key)s is not in the data, so its unit is unknown; only a province "
                "administrator may enter this rating"
            ) % {"key": key}
        words = {
            "noun": str(NOUNS.get(table, KEYS[table][0])),
            "key": key,
            "unit": unit_label(tree, self.unit_code),
            "whose": whose or gettext("your unit"),
        }
        if self.stored:
            text = gettext(
                "%(noun)s %(key)s is already in the data of %(unit)s, outside the scope "
                "of %(whose)s"
            )
        else:
            text = gettext("%(noun)s %(key)s belongs to %(unit)s, outside the scope of %(whose)s")
        return text % words

    def where(self) -> str:
        """``"b.csv, dòng 3: "`` for a file row, nothing for a pushed record."""
        w = self.write
        return gettext("%(file)s, row %(row)s: ") % {"file": w.file, "row": w.row} if w.file else ""


def unit_label(tree: UnitTree, code: str) -> str:
    """``"UBND xã Mường Nhé (03160)"``, or the bare code of a unit the tree lacks."""
    return f"{tree.get(code).name} ({code})" if code in tree else code


def _lookup(store: Store, table: str, keys: list[str]) -> dict[str, list[str]]:
    source = "dossiers" if table == "ratings" else table
    if not keys or not store.has(source):  # no record to look up
        return {}
    t = store.table(source)
    key = KEYS[source][0]
    wanted = ibis.memtable({"_key": keys})
    expr = t.inner_join(wanted, t[key] == wanted["_key"]).select(key, "unit_code")
    out: dict[str, list[str]] = {}
    for row in store.to_pyarrow(expr).to_pylist():
        if row["unit_code"]:
            out.setdefault(str(row[key]), []).append(str(row["unit_code"]))
    return out


def stored_units(table: str, keys: Iterable[str]) -> dict[str, list[str]]:
    """The stored unit of each existing record of ``keys`` (ratings: of their dossier),
    read with one query over the site's data."""
    wanted = sorted(set(keys))
    if table not in NOUNS or table == "manual_values":  # no unit, or the unit is the key
        return {}
    return data.service().query(lambda store: _lookup(store, table, wanted))


def refusals(
    access: Access, tree: UnitTree, table: str, writes: Sequence[Write], stored: Stored
) -> list[Refusal]:
    """The writes ``access`` may not make, in order (each record once, its first unit
    outside the scope); none for the province administrator."""
    if access.role == "admin":
        return []
    out: list[Refusal] = []
    for w in writes:
        before = list(stored.get(w.key, ()))
        if table == "ratings" and not before:
            out.append(Refusal(w, None, stored=False))
            continue
        sent = [] if w.unit_code is None else [(w.unit_code, False)]
        for code, was_stored in [*sent, *((u, True) for u in before)]:
            if not access.can_write(tree, code):
                out.append(Refusal(w, code, stored=was_stored))
                break
    return out


def touched(writes: Iterable[Write], stored: Stored) -> set[str]:
    """Every unit the writes touch: the units sent and the units stored."""
    units = {w.unit_code for w in writes if w.unit_code}
    for codes in stored.values():
        units.update(codes)
    return units


def check(
    access: Access, table: str, writes: Sequence[Write], stored: Stored | None = None
) -> list[Refusal]:
    """:func:`refusals` against the site's data (``stored`` read with
    :func:`stored_units` unless given)."""
    if stored is None:
        stored = stored_units(table, (w.key for w in writes)) if access.role != "admin" else {}
    return refusals(access, data.service().tree(), table, writes, stored)


__all__ = [
    "NOUNS",
    "Refusal",
    "Stored",
    "Write",
    "check",
    "refusals",
    "stored_units",
    "touched",
    "unit_label",
]
