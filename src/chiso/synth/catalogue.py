"""The synthetic procedure catalogue (``chiso/data/procedures/catalogue.csv``).

The catalogue lists a few hundred procedures (thủ tục hành chính) with Vietnamese names
and fields (lĩnh vực), written so that it can be edited by hand. Names follow the
national catalogue where the author knew them and are plausible otherwise; the codes
look like national codes (``1.004227``) but are **invented**: never match them against
the Cơ sở dữ liệu quốc gia về TTHC.

Besides the canonical ``procedures`` columns the file has four columns that only the
generator uses: ``fee_vnd`` (the fee charged per dossier, or per page for certified
copies), ``former_level`` (``xa``, ``huyen`` or ``tinh``: who handled it before the
two-level government of 1/7/2025), ``agency_code`` (the provincial department that
handles a ``tinh`` procedure, a ``unit_code`` of the Điện Biên tree) and
``popularity`` (relative number of dossiers per year in the province).
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pyarrow as pa

from chiso.domain.records import OnlineLevel
from chiso.errors import UserError
from chiso.synth.schemas import arrow_schema

__all__ = ["COLUMNS", "LEVELS", "Catalogue", "CatalogueEntry", "load_catalogue"]

COLUMNS = (
    "procedure_code", "name", "field", "level", "online_level", "has_fee",
    "time_limit_days", "paper_result", "fee_vnd", "former_level", "agency_code", "popularity",
)  # fmt: skip
#: Levels of the catalogue: ``xa`` procedures are handled by commune-level units,
#: ``tinh`` procedures by provincial departments; ``huyen`` only as ``former_level``.
LEVELS = ("xa", "tinh")
_FORMER_LEVELS = ("xa", "huyen", "tinh")
_BOOLEANS = {"true": True, "false": False}

_Source = str | os.PathLike[str] | Traversable


@dataclass(frozen=True)
class CatalogueEntry:
    """One procedure of the catalogue, with the generator's extra attributes."""

    procedure_code: str
    name: str
    field: str
    level: str
    online_level: OnlineLevel
    has_fee: bool
    time_limit_days: int
    paper_result: bool
    fee_vnd: int
    former_level: str
    agency_code: str | None
    popularity: int

    def handled_by_communes_before_2025(self) -> bool:
        """Whether communes handled this procedure before 1/7/2025."""
        return self.level == "xa" and self.former_level == "xa"


@dataclass(frozen=True)
class Catalogue:
    """The procedures, in file order."""

    entries: tuple[CatalogueEntry, ...]

    def __len__(self) -> int:
        """Number of procedures."""
        return len(self.entries)

    def __iter__(self) -> Iterator[CatalogueEntry]:
        """The procedures in file order."""
        return iter(self.entries)

    def procedures_table(self) -> pa.Table:
        """The canonical ``procedures`` table (columns of ``records.TABLES``)."""
        schema = arrow_schema("procedures")
        columns: dict[str, list[Any]] = {name: [] for name in schema.names}
        for e in self.entries:
            for name in schema.names:
                value = getattr(e, name)
                columns[name].append(value.value if name == "online_level" else value)
        return pa.table(columns, schema=schema)


def load_catalogue(source: _Source | None = None) -> Catalogue:
    """Load and check a catalogue file (the shipped one by default).

    Raises:
        UserError: wrong header, text not NFC, a bad value (file:line + hint) or a
            duplicated code.

    Examples:
        >>> cat = load_catalogue()
        >>> entry = next(e for e in cat if e.name == "Đăng ký khai sinh")
        >>> entry.level, entry.online_level.value, entry.has_fee
        ('xa', 'full', False)
    """
    if source is None:
        source = resources.files("chiso") / "data" / "procedures" / "catalogue.csv"
    path = source if isinstance(source, Traversable) else Path(source)
    entries: list[CatalogueEntry] = []
    seen: set[str] = set()
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise UserError(
                f"{path}: columns are {reader.fieldnames}, expected {list(COLUMNS)}",
                hint="keep the header row exactly as in the shipped catalogue.csv",
            )
        for row in reader:
            entry = _entry(row, f"{path}:{reader.line_num}")
            if entry.procedure_code in seen:
                raise UserError(
                    f"{path}:{reader.line_num}: procedure code {entry.procedure_code} "
                    "appears twice",
                    hint="procedure codes must be unique",
                )
            seen.add(entry.procedure_code)
            entries.append(entry)
    return Catalogue(tuple(entries))


def _entry(row: dict[str, str], where: str) -> CatalogueEntry:
    row = {k: v.strip() for k, v in row.items()}
    if any(not unicodedata.is_normalized("NFC", v) for v in row.values()):
        raise UserError(f"{where}: text is not Unicode NFC", hint="re-save the file as NFC")
    if not row["procedure_code"] or not row["name"]:
        raise UserError(f"{where}: procedure_code and name are required")
    level = _choice(row, "level", LEVELS, where)
    agency = row["agency_code"] or None
    if (level == "tinh") != (agency is not None):
        raise UserError(
            f"{where}: agency_code must be set for level tinh and empty for level xa",
            hint="name the provincial department (unit_code) that handles the procedure",
        )
    try:
        online = OnlineLevel(row["online_level"])
    except ValueError:
        raise UserError(
            f"{where}: online_level {row['online_level']!r} is unknown",
            hint="use full, partial or none",
        ) from None
    return CatalogueEntry(
        procedure_code=row["procedure_code"],
        name=row["name"],
        field=row["field"],
        level=level,
        online_level=online,
        has_fee=_boolean(row, "has_fee", where),
        time_limit_days=_integer(row, "time_limit_days", where, low=0, high=365),
        paper_result=_boolean(row, "paper_result", where),
        fee_vnd=_integer(row, "fee_vnd", where, low=0, high=10**9),
        former_level=_choice(row, "former_level", _FORMER_LEVELS, where),
        agency_code=agency,
        popularity=_integer(row, "popularity", where, low=0, high=10**9),
    )


def _choice(row: dict[str, str], column: str, allowed: tuple[str, ...], where: str) -> str:
    if row[column] not in allowed:
        raise UserError(
            f"{where}: {column} {row[column]!r} is unknown", hint=f"use {', '.join(allowed)}"
        )
    return row[column]


def _boolean(row: dict[str, str], column: str, where: str) -> bool:
    try:
        return _BOOLEANS[row[column]]
    except KeyError:
        raise UserError(f"{where}: {column} must be true or false, not {row[column]!r}") from None


def _integer(row: dict[str, str], column: str, where: str, *, low: int, high: int) -> int:
    try:
        value = int(row[column])
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise UserError(
            f"{where}: {column} must be a whole number from {low} to {high}, not {row[column]!r}"
        )
    return value
