"""Store a received score table as ``reported_scores`` rows, all or nothing.

Every row of every score table must resolve to one unit of the reporting unit on
the period's last day and every cell must read as a number within its maximum;
otherwise nothing is written and every problem is listed.  Indicators the table
does not print, and "-" cells, are stored with empty points (not applicable).
Re-importing replaces the rows of the same (index_set, unit_code, period,
indicator), through the import target (journalled; CSV or Parquet as the folder holds it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from chiso.domain.records import KEYS
from chiso.domain.units import UnitTree, UnknownUnitError
from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.scores.document import read_document
from chiso.ingest.scores.report_subject import read_context
from chiso.spec.canonical import IndexSet
from chiso.storage.targets import Diff
from chiso.storage.writer import write_rows

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
        raise UserError(
            _("{path}: the period evaluated is not printed").format(path=path),
            hint=_("give --period"),
        )
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
            _("{path}: {count} problem(s), nothing imported: {names}").format(
                path=path, count=len(problems), names="; ".join(problems)
            ),
            hint=_("fix the names (or add an alias) and the cells, or give --unit and --period"),
        )
    return ScoreImport(str(path), ctx.period.code, ctx.within, tuple(records))


def _canonical(record: Record) -> dict[str, Any]:
    """A record as a canonical row: ``points`` a number, or empty (not applicable)."""
    points = record["points"]
    return {**record, "points": float(Decimal(points)) if points else None}


def write_scores(folder: Path, imports: Sequence[ScoreImport], *, dry_run: bool = False) -> Diff:
    """Merge the records into ``folder``'s ``reported_scores`` by key (journalled).

    A key given by several files keeps the later file's row.  The table is written as the
    folder already stores it (CSV or Parquet; a new table is Parquet), through
    :func:`chiso.storage.writer.write_rows`; importing the same files again changes nothing.
    """
    merged = {
        tuple(r[k] for k in KEYS["reported_scores"]): r for item in imports for r in item.records
    }
    if not merged:
        return Diff()
    rows = [_canonical(r) for r in merged.values()]
    return write_rows(str(folder), "reported_scores", rows, dry_run=dry_run)
