"""Small index sets written as YAML in a test, scored the way the engine scores them.

``index_set`` builds a one-group index set from indicator YAML; ``score_rows`` scores it
on a tiny DuckDB data folder (the whole path: formula → SQL → exact arithmetic → ranks);
``score_atoms`` feeds chosen aggregate values straight to the engine's arithmetic (the same
path without the SQL, fast enough for property tests).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from builders import make_dossier, make_procedure
from chiso.compile.compiler import index_set_atoms
from chiso.domain.periods import parse_period
from chiso.domain.units import Unit, UnitKind
from chiso.engine.assemble import Inputs, unit_results
from chiso.engine.results import ResultSet
from chiso.engine.runner import score_one
from chiso.engine.totals import result_set
from chiso.spec.canonical import IndexSet
from chiso.spec.formula import parse, render
from chiso.spec.loader import validate_text
from chiso.storage.folder import write_tables
from chiso.storage.store import open_folder

PERIOD = "2026-03"

_HEAD = """\
id: tiny
version: 1
name: "Bộ chỉ số thử"
issuer: "Đơn vị thử"
legal_basis: ["Văn bản thử"]
valid_from: 2020-01-01
scale: {scale}
rounding: {{mode: {mode}, decimals: {decimals}}}
aggregation: own
classification:
  basis: converted
  bands:
    - {{grade: good, label: "Tốt", abbrev: "T", min: 80}}
    - {{grade: weak, label: "Yếu", abbrev: "Y", min: null}}
ranking: {{tie_order: {tie_order}}}
{definitions}groups:
  - code: g
    label: "Nhóm thử"
    indicators:
"""


def indicator(
    code: str = "a",
    *,
    numerator: str = "count(channel == 'online')",
    denominator: str = "count()",
    scoring: str = "lin",
    top: str = "10",
    zero: str = "not_applicable",
    where: str | None = None,
) -> str:
    """One computed indicator over dossiers, as YAML (``scoring`` in flow style)."""
    rows = f'where: "{where}", ' if where else ""
    return textwrap.dedent(
        f"""\
        - code: {code}
          label: "Chỉ số {code}"
          max: {top}
          rate: {{from: dossiers, {rows}numerator: "{numerator}", denominator: "{denominator}"}}
          scoring: {scoring}
          zero_denominator: {zero}
        """
    )


def index_set_text(
    *indicators: str,
    mode: str = "half_up",
    decimals: int = 2,
    tie_order: str = "name",
    scale: int = 100,
    definitions: Mapping[str, str] | None = None,
) -> str:
    """The YAML of a one-group index set of ``indicators`` (from :func:`indicator`)."""
    named = "".join(f'  {name}: "{text}"\n' for name, text in (definitions or {}).items())
    head = _HEAD.format(
        mode=mode,
        decimals=decimals,
        tie_order=tie_order,
        scale=scale,
        definitions=f"definitions:\n{named}" if named else "",
    )
    return head + "".join(textwrap.indent(text, " " * 6) for text in indicators or (indicator(),))


def index_set(*indicators: str, **options: Any) -> IndexSet:
    """A valid index set (:func:`index_set_text`'s arguments)."""
    found, issues = validate_text(index_set_text(*indicators, **options), file="tiny.yaml")
    assert found is not None, [i.message for i in issues]
    return found


def dossiers(**channels: int) -> list[dict[str, Any]]:
    """Override rows of dossiers by channel: ``dossiers(online=3, direct=1)``."""
    return [{"channel": channel} for channel, n in channels.items() for _ in range(n)]


def _unit_row(code: str, name: str, kind: str, parent: str | None) -> dict[str, Any]:
    return {
        "unit_code": code, "gso_code": code, "name": name, "short_name": name, "kind": kind,
        "parent_code": parent, "valid_from": None, "valid_to": None, "successor_code": None,
    }  # fmt: skip


def score_rows(
    folder: Path,
    spec: IndexSet,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    names: Mapping[str, str] | None = None,
) -> ResultSet:
    """Score ``spec`` in March 2026 on DuckDB for communes ``rows`` (unit code → dossier
    overrides; a unit with no rows has no records), named ``names`` (default "Xã CODE")."""
    names = names or {}
    units = [_unit_row("H", "Huyện Thử", "huyen", None)] + [
        _unit_row(code, names.get(code, f"Xã {code}"), "xa", "H") for code in rows
    ]
    records = [
        make_dossier(code=f"{code}-{n}", unit=code, received="2026-03-02 08:00:00", **row)
        for code, unit_rows in rows.items()
        for n, row in enumerate(unit_rows)
    ]
    write_tables(folder, {"procedures": [make_procedure()], "units": units, "dossiers": records})
    return score_one(open_folder(folder, "duckdb"), spec, parse_period(PERIOD))


def score_atoms(
    spec: IndexSet,
    values: Mapping[str, Mapping[str, int]],
    *,
    names: Mapping[str, str] | None = None,
) -> ResultSet:
    """Score ``spec`` for communes whose aggregates are given: unit code → {aggregate call
    as written (``count(channel == 'online')``) → value}; an aggregate not given is 0,
    as for a unit without records."""
    names = names or {}
    period = parse_period(PERIOD)
    atoms = index_set_atoms(spec)
    inputs = Inputs(
        {
            (0, code): {
                a.key: given[text]
                for text in given
                for a in atoms
                if render(a.call) == render(parse(text))
            }
            for code, given in values.items()
        },
        {},
        {},
    )
    units = [
        Unit(code, code, names.get(code, f"Xã {code}"), code, UnitKind.XA, "H",
             date(2000, 1, 1), None, None)
        for code in values
    ]  # fmt: skip
    return result_set(
        spec,
        period=period.code,
        period_label=period.label,
        units=unit_results(spec, units, period, 0, inputs),
    )
