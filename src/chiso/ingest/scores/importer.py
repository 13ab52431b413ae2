"""Store a received score table as ``reported_scores`` rows, all or nothing.

Every row of every score table must resolve to one unit of the reporting unit on
the period's last day and every cell must read as a number within its maximum;
otherwise nothing is written and every problem is listed.  Indicators the table
does not print, and "-" cells, are stored with empty points (not applicable).
Re-importing replaces the rows of the same (index_set, unit_code, period,
indicator); the CSV is replaced atomically.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from chiso.domain.records import KEYS, TABLES
from chiso.domain.units import UnitTree, UnknownUnitError
from chiso.engine.folder import write_table
from chiso.errors import UserError
from chiso.ingest.scores.context import read_context
from chiso.ingest.scores.document import read_document
from chiso.spec.canonical import IndexSet

__all__ = ["ScoreImport", "read_scores", "write_scores"]

Record = dict[str, str]


@dataclass(frozen=True)
class ScoreImport:
    """The rows read from one file, ready to store."""

    path: str
    period: str
    reporting_unit: str | None
    records: tuple[Record, ...]


def read_scores(
    path: Path,
    *,
    index_set: IndexSet,
    period: str | None = None,
    unit: str | None = None,
    tree: UnitTree | None = None,
) -> ScoreImport:
    """Read the score tables of ``path`` as ``reported_scores`` records.

    Raises:
        UserError: unreadable file or header, no period, an unknown unit name (with
            "did you mean"), an unreadable cell; every problem in one message.
    """
    document = read_document(path)
    ctx = read_context(
        document, tree=tree or UnitTree.dienbien(), index_set=index_set, period=period, unit=unit
    )
    if ctx.period is None:
        raise UserError(f"{path}: the period evaluated is not printed", hint="give --period")
    problems = [f"{where}: {message}" for t in ctx.tables for where, message in t.problems]
    records: list[Record] = []
    for table in ctx.tables:
        for row in table.rows:
            try:
                code = ctx.resolver.resolve(row.name).unit.unit_code
            except (UnknownUnitError, UserError) as exc:
                problems.append(
                    f"{row.where}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")
                )
                continue
            cells = row.cells_dict
            for ind in index_set.indicators:
                value = cells.get(ind.code)
                records.append({
                    "index_set": index_set.id, "unit_code": code, "period": ctx.period.code,
                    "indicator": ind.code, "points": "" if value is None else str(value.value),
                    "source": f"{path.name} {row.where}",
                })  # fmt: skip
    if problems:
        raise UserError(
            f"{path}: {len(problems)} problem(s), nothing imported: " + "; ".join(problems),
            hint="fix the names (or add an alias) and the cells, or give --unit and --period",
        )
    return ScoreImport(str(path), ctx.period.code, ctx.within, tuple(records))


def _existing(folder: Path) -> list[Record]:
    path = folder / "reported_scores.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [{c: r.get(c) or "" for c in TABLES["reported_scores"]} for r in csv.DictReader(fh)]


def write_scores(
    folder: Path, imports: Sequence[ScoreImport], *, dry_run: bool = False
) -> tuple[int, int]:
    """Merge the records into ``folder/reported_scores.csv``; (added, replaced) counts."""
    key = KEYS["reported_scores"]
    merged = {tuple(r[k] for k in key): r for r in _existing(folder)}
    added = replaced = 0
    for item in imports:
        for record in item.records:
            k = tuple(record[c] for c in key)
            replaced += k in merged
            added += k not in merged
            merged[k] = record
    if dry_run:
        return added, replaced
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        written = write_table(Path(tmp), "reported_scores", merged.values())
        os.replace(written, folder / "reported_scores.csv")
    return added, replaced
