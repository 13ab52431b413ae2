"""``chiso import portal``: saved portal responses into ``portal_scores``, all or nothing.

Each file is read (:mod:`chiso.portal.reader`), given a period (from its saved request or
``--period``; both must agree), and its rows are matched to units on the period's last
day.  Every problem of every file is collected first; only when there is none are the
rows merged by key (index_set, unit_code, period, group) into the data folder through
:func:`chiso.ingest.rows.write_rows`, i.e. the import target (journalled, idempotent:
importing the same files again changes nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from chiso.domain.periods import Period, parse_period
from chiso.domain.records import KEYS
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.ingest.rows import write_rows
from chiso.ingest.targets import Diff
from chiso.portal.groups import GROUPS, check_index_set
from chiso.portal.reader import read_response
from chiso.portal.rows import PortalResponse, PortalRow
from chiso.portal.units import UnitMatcher
from chiso.portal.validation import HINT, portal_error
from chiso.spec.canonical import IndexSet

__all__ = ["PortalImport", "read_portal", "tree_of_folder", "write_portal"]

Record = dict[str, Any]
UNKNOWN_HINT = (
    "fix the name, add the unit (or an alias) to the unit tree, or leave such rows out "
    "with --skip-unknown"
)


@dataclass(frozen=True)
class PortalImport:
    """What one file gives: its shape, period, records and the rows left out."""

    path: str
    shape: str
    period: str
    records: tuple[Record, ...]
    skipped: tuple[str, ...]  # names of other provinces' rows (national responses)


def _period(response: PortalResponse, given: str | None) -> Period:
    chosen = parse_period(given) if given is not None else None
    recorded = response.period
    if recorded is None and chosen is None:
        raise UserError(
            f"{response.path}: the file does not record which period it is",
            hint="give --period, or save the request payload with the response (docs/portal.md)",
        )
    if recorded is not None and chosen is not None and recorded.code != chosen.code:
        raise UserError(
            f"{response.path}: the saved request is for {recorded.code}, --period says "
            f"{chosen.code}",
            hint="drop --period, or import this file on its own",
        )
    period = recorded or chosen
    assert period is not None
    return period


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _record(row: PortalRow, unit: str, *, index_set: str, period: str, response: PortalResponse,
            name: str) -> Record:  # fmt: skip
    return {
        "index_set": index_set, "unit_code": unit, "period": period,
        "group": GROUPS[row.group].group, "score": _number(row.score),
        "max_score": _number(row.max_score), "numerator": _number(row.numerator),
        "denominator": _number(row.denominator), "source": f"{name} {row.where}",
        "fetched_at": response.fetched_at,
    }  # fmt: skip


def _check_row(row: PortalRow) -> str | None:
    if row.score is not None and row.max_score is not None and row.score > row.max_score:
        return f"{row.where}: score {row.score} is above the maximum {row.max_score}"
    return None


def _unit_of(
    row: PortalRow, matcher: UnitMatcher, root: str | None, national: bool
) -> tuple[str | None, str | None]:
    """(unit code, problem); both ``None`` when a national row is another province's."""
    if national:
        return matcher.match_province(row.unit), None
    try:
        return matcher.match(row.unit, within=None if row.root else root), None
    except UserError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        return None, f"{row.where.rsplit('.', 1)[0]}.departmentName: {exc.message}{hint}"


def read_portal(
    path: Path,
    *,
    index_set: IndexSet,
    tree: UnitTree,
    period: str | None = None,
    skip_unknown: bool = False,
) -> PortalImport:
    """Read one saved response as ``portal_scores`` records.

    Raises:
        UserError: unreadable file, no period, a unit that matches no unit (with "did you
            mean"; unless ``skip_unknown``), a score above its maximum.
    """
    check_index_set(index_set)
    response = read_response(path)
    chosen = _period(response, period)
    matcher = UnitMatcher(tree, on=chosen.last_day)
    roots = [r for r in response.rows if r.root]
    root: str | None = None
    if roots and not response.national:
        root, _ = _unit_of(roots[0], matcher, None, False)
    problems: list[str] = []
    records: list[Record] = []
    skipped: list[str] = []
    unknown = False
    for row in response.rows:
        unit, problem = _unit_of(row, matcher, root, response.national)
        unknown = unknown or (problem is not None and not skip_unknown)
        for issue in (None if skip_unknown else problem, _check_row(row)):
            if issue is not None:
                problems.append(issue)
        if unit is None:
            skipped.append(row.unit.name)
            continue
        records.append(_record(row, unit, index_set=index_set.id, period=chosen.code,
                               response=response, name=path.name))  # fmt: skip
    if problems:
        raise portal_error(str(path), problems, hint=UNKNOWN_HINT if unknown else HINT)
    return PortalImport(
        str(path), response.shape, chosen.code, tuple(records), tuple(dict.fromkeys(skipped))
    )


def tree_of_folder(folder: Path) -> UnitTree:
    """The data folder's own ``units`` table, else the shipped Điện Biên tree."""
    from chiso.engine.unitdata import tree_from_rows
    from chiso.ingest.targets import read_canonical

    units = read_canonical(folder, "units") if folder.is_dir() else None
    return tree_from_rows(units.to_pylist()) if units is not None else UnitTree.dienbien()


def _merge(imports: Sequence[PortalImport]) -> list[Record]:
    """One record per key: the later capture wins; equal scores collapse; else refuse."""
    key = KEYS["portal_scores"]
    merged: dict[tuple[Any, ...], Record] = {}
    for record in (r for item in imports for r in item.records):
        k = tuple(record[c] for c in key)
        old = merged.get(k)
        if old is None or old["score"] == record["score"]:
            merged.setdefault(k, record)
            continue
        newer = _later(old, record)
        if newer is None:
            raise UserError(
                f"{'/'.join(map(str, k))}: {old['source']} says {old['score']}, "
                f"{record['source']} says {record['score']}",
                hint="save capturedAt with each response (the later one wins), or import "
                "the files separately",
            )
        merged[k] = newer
    return list(merged.values())


def _later(a: Record, b: Record) -> Record | None:
    ta: datetime | None = a["fetched_at"]
    tb: datetime | None = b["fetched_at"]
    if ta is None or tb is None or ta == tb:
        return None
    return a if ta > tb else b


def write_portal(folder: Path, imports: Sequence[PortalImport], *, dry_run: bool = False) -> Diff:
    """Merge the records into ``folder``'s ``portal_scores`` (journalled); the difference."""
    records = _merge(imports)
    if not records:
        return Diff()
    return write_rows(str(folder), "portal_scores", records, dry_run=dry_run)
