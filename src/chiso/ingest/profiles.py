"""Mapping profiles: which export header is which canonical column, kept as data.

A profile is a YAML file (shipped ones in ``chiso/data/import_profiles/``, or any
file given with ``--profile``) mapping, per table, canonical columns to the header
wordings a source system uses, and value labels ("Trực tuyến") to canonical values
("online").  Every profile inherits ``common.yaml``.  When a file's headers are not
recognised, :func:`draft_profile` writes a new profile for the user to complete.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.tables import IMPORT_TABLES as TABLES
from chiso.ingest.values import choice_key

__all__ = [
    "HELPER_FIELDS",
    "HeaderMatch",
    "Profile",
    "draft_profile",
    "header_key",
    "load_profile",
    "shipped_profiles",
]

#: Fields a file may carry instead of a code: resolved through the unit tree / procedures.
HELPER_FIELDS = {"unit_name": "unit_code", "procedure_name": "procedure_code"}
_PUNCT = re.compile(r"[\s,;:.()\[\]\-\u2013\u2014/_*#°'\"]+")
_PACKAGE = "chiso.data.import_profiles"
#: Header wordings of a Vietnamese source file, quoted in a hint as an example (data the
#: profile matches, not a message).
_EXAMPLE_HEADERS = ("Ngày hẹn trả", "Hạn xử lý")


@functools.lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """Comparison key of a header: casefolded, no diacritics, no punctuation.

    Examples:
        >>> header_key("NGÀY HẸN TRẢ (dd/mm/yyyy)")
        'ngay hen tra dd mm yyyy'
        >>> header_key("Phí, lệ phí") == header_key("phi le phi")
        True
    """
    return " ".join(_PUNCT.sub(" ", choice_key(text)).split())


@dataclass(frozen=True)
class HeaderMatch:
    """How a file's header row maps to a table's columns."""

    columns: dict[int, str]  # file column index → canonical column or helper field
    unmatched: list[str]  # headers that map to nothing (ignored)
    score: int


@dataclass
class Profile:
    """Header aliases per table and value labels, with ``common.yaml`` merged in."""

    id: str
    name: str
    source: str
    tables: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: header key → column per table, made on first use (a profile is not changed after
    #: it is loaded)
    _alias_keys: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def fields_of(self, table: str) -> list[str]:
        """Canonical columns and helper fields a file of ``table`` may carry."""
        helpers = [h for h in HELPER_FIELDS if h in self.tables.get(table, {})]
        return [*TABLES[table], *helpers]

    def _aliases(self, table: str) -> dict[str, str]:
        known = self._alias_keys.get(table)
        if known is not None:
            return known
        keys: dict[str, str] = self._alias_keys.setdefault(table, {})
        for column in self.fields_of(table):
            keys.setdefault(header_key(column), column)
        for column, aliases in self.tables.get(table, {}).items():
            for alias in aliases:
                keys.setdefault(header_key(alias), column)
        return keys

    def match(self, table: str, headers: Sequence[str | tuple[str, ...]]) -> HeaderMatch:
        """Map header cells to columns: exact keys first, then the longest alias prefix.

        A cell may offer alternatives (a two-row header: "Đã giải quyết Quá hạn", then
        "Quá hạn", then "Đã giải quyết"); the first that matches is used.
        """
        aliases = self._aliases(table)
        cells = [(h,) if isinstance(h, str) else h for h in headers]
        columns: dict[int, str] = {}
        taken: set[str] = set()
        pending: list[tuple[int, list[str]]] = []
        for i, options in enumerate(cells):
            keys = [k for k in (header_key(o) for o in options) if k]
            if not keys:
                continue
            found = [aliases[k] for k in keys if aliases.get(k) not in (None, *taken)]
            if found:
                columns[i] = found[0]
                taken.add(found[0])
            else:
                pending.append((i, keys))
        unmatched = []
        for i, keys in pending:
            column = next(
                (c for k in keys if (c := _prefix_match(k, aliases, taken)) is not None), None
            )
            if column is None:
                unmatched.append(cells[i][0].strip())
            else:
                columns[i] = column
                taken.add(column)
        if table == "dossiers":
            _receiving_as_unit(columns)
        return HeaderMatch(columns, unmatched, len(columns))

    def value_map(self, kind: str) -> dict[str, Any]:
        """Label key → canonical value for ``channel``, ``payment``, ``status``, ``boolean``…"""
        out: dict[str, Any] = {}
        for value, labels in self.values.get(kind, {}).items():
            canonical = _canonical_value(kind, value)
            out.setdefault(choice_key(str(canonical)), canonical)
            for label in labels:
                out.setdefault(choice_key(str(label)), canonical)
        return out


def _receiving_as_unit(columns: dict[int, str]) -> None:
    """A dossier file that names no competent unit reads its receiving column as the unit.

    Exports made before 1/7/2025 name one unit ("Đơn vị tiếp nhận"), the one that both
    received and decided; only a file that also names the competent unit tells the two
    apart (``receiving_point``, docs/data-model.md).
    """
    named = set(columns.values())
    if "receiving_point" in named and not named & {"unit_code", "unit_name"}:
        index = next(i for i, c in columns.items() if c == "receiving_point")
        columns[index] = "unit_name"


def _canonical_value(kind: str, value: Any) -> Any:
    if kind == "boolean":
        return value is True or str(value).lower() == "true"
    return str(value)


def _prefix_match(key: str, aliases: Mapping[str, str], taken: set[str]) -> str | None:
    """The column of the longest alias that ``key`` starts with, followed by a space
    (the alias's column not taken yet).  Only the word-boundary prefixes of ``key`` can
    be such aliases, so those are looked up, longest first."""
    end = key.rfind(" ")
    while end > 0:
        column = aliases.get(key[:end])
        if column is not None and column not in taken:
            return column
        end = key.rfind(" ", 0, end)
    return None


def _read_yaml(text: str, source: str) -> dict[str, Any]:
    try:
        # libyaml's loader when PyYAML has it: the profiles are read on every import
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        raise UserError(
            _("{source}: not valid YAML ({exc})").format(source=source, exc=exc),
            hint=_("fix the profile file's syntax"),
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise UserError(
            _("{source}: an import profile needs an 'id' and 'tables'").format(source=source),
            hint=_("start from `chiso import dossiers FILE --save-profile NEW.yaml`"),
        )
    for table, columns in (data.get("tables") or {}).items():
        if table not in TABLES:
            raise UserError(
                _("{source}: unknown table “{table}”").format(source=source, table=table),
                hint=_("tables are {names}").format(names=", ".join(TABLES)),
            )
        allowed = {*TABLES[table], *HELPER_FIELDS}
        for column, aliases in (columns or {}).items():
            if column not in allowed:
                raise UserError(
                    _("{source}: table {table}: unknown column “{column}”").format(
                        source=source, table=table, column=column
                    ),
                    hint=_("columns of {table} are {names}").format(
                        table=table, names=", ".join(sorted(allowed))
                    ),
                )
            if not isinstance(aliases, list):
                raise UserError(
                    _("{source}: {table}.{column} must be a list of header wordings").format(
                        source=source, table=table, column=column
                    ),
                    hint=_('write e.g. due_at: ["{first}", "{second}"]').format(
                        first=_EXAMPLE_HEADERS[0], second=_EXAMPLE_HEADERS[1]
                    ),
                )
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    tables: dict[str, dict[str, list[str]]] = {}
    for data in (extra, base):  # the profile's own aliases first: they win ties
        for table, columns in (data.get("tables") or {}).items():
            target = tables.setdefault(table, {})
            for column, aliases in (columns or {}).items():
                target.setdefault(column, []).extend(str(a) for a in aliases)
    values: dict[str, dict[str, Any]] = {}
    for data in (extra, base):
        for kind, mapping in (data.get("values") or {}).items():
            target_values = values.setdefault(kind, {})
            for value, labels in (mapping or {}).items():
                target_values.setdefault(value, []).extend(labels)
    return tables, values


def _common() -> dict[str, Any]:
    text = resources.files(_PACKAGE).joinpath("common.yaml").read_text(encoding="utf-8")
    return _read_yaml(text, "common.yaml")


def shipped_profiles() -> list[str]:
    """Ids of the shipped profiles (``common`` excluded: it is inherited, not chosen)."""
    names = [p.name for p in resources.files(_PACKAGE).iterdir() if p.name.endswith(".yaml")]
    return sorted(n.removesuffix(".yaml") for n in names if n != "common.yaml")


def load_profile(ref: str) -> Profile:
    """Load a shipped profile by id or a profile file by path, with ``common`` merged in."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.exists():
        text, source = path.read_text(encoding="utf-8"), str(path)
    elif ref in shipped_profiles():
        resource = resources.files(_PACKAGE).joinpath(f"{ref}.yaml")
        text, source = resource.read_text(encoding="utf-8"), f"{ref}.yaml"
    else:
        raise UserError(
            _("no import profile “{ref}”").format(ref=ref),
            hint=_("shipped profiles: {names}; or give a .yaml path").format(
                names=", ".join(shipped_profiles())
            ),
        )
    data = _read_yaml(text, source)
    tables, values = _merge(_common(), data)
    return Profile(data["id"], str(data.get("name", data["id"])), source, tables, values)


def draft_profile(
    path: Path, *, table: str, headers: Sequence[str], match: HeaderMatch, base: Profile
) -> None:
    """Write a new profile for a file whose headers were not (all) recognised.

    Recognised headers are listed under their column; unrecognised ones are left as
    comments for the user to place, then the profile is used with ``--profile PATH``.
    """
    mapped: dict[str, list[str]] = {}
    for index, column in match.columns.items():
        mapped.setdefault(column, []).append(headers[index].strip())
    lines = [
        f"# Import profile drafted by chiso from {len(headers)} headers; complete it, then",
        "# import with --profile THIS_FILE.  Columns: docs/data-model.md; helper fields",
        "# unit_name and procedure_name are resolved to codes.",
        f"id: {path.stem}",
        f"name: {path.stem}",
        f"description: drafted from headers (base profile {base.id})",
        "tables:",
        f"  {table}:",
    ]
    for column in base.fields_of(table):
        aliases = mapped.get(column)
        if aliases:
            flow = yaml.safe_dump(aliases, allow_unicode=True, default_flow_style=True)
            lines.append(f"    {column}: {flow.strip()}")
        else:
            lines.append(f"    # {column}: []")
    lines.append("# Headers not recognised (copy each under its column above):")
    lines.extend(f"#   - {h}" for h in match.unmatched)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
