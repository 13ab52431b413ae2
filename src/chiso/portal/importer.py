"""``chiso import portal``: saved portal responses into ``portal_scores``, all or nothing.

Each file is read (:mod:`chiso.portal.reader`), given a period (from its saved request or
``--period``; both must agree), checked to be the tree's province (a capture whose root,
codes or name suffixes say another province is refused, naming it) and its rows are
matched to units on the period's last day.  Every problem of every file is collected
first; only when there is none are the rows merged by key (index_set, unit_code, period,
group) into the data folder through :func:`chiso.storage.writer.write_rows`, i.e. the import
target (journalled, idempotent: importing the same files again changes nothing).  A
capture never replaces a later one, stored or given in the same import: the older rows
are left out and said so (:func:`merge_portal`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from chiso.domain.periods import Period, parse_period
from chiso.domain.records import KEYS
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.portal.groups import GROUPS, check_index_set, portal_index_set
from chiso.portal.pairs import Request
from chiso.portal.provinces import TreeProvince, place_of
from chiso.portal.reader import read_response
from chiso.portal.rows import PortalResponse, PortalRow
from chiso.portal.units import UnitMatcher
from chiso.portal.validation import HINT, portal_error
from chiso.spec.canonical import IndexSet
from chiso.storage.targets import Diff
from chiso.storage.writer import write_rows

__all__ = [
    "PortalImport", "PortalWrite", "merge_portal", "read_portal", "tree_of_folder", "write_portal",
]  # fmt: skip

Record = dict[str, Any]
UNKNOWN_HINT = N_(
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
    what: str = field(default_factory=lambda: _("the response of the national portal (DVCQG)"))


def _period(response: PortalResponse, given: str | None) -> Period:
    chosen = parse_period(given) if given is not None else None
    recorded = response.period
    if recorded is None and chosen is None:
        raise UserError(
            _("{path} ({what}): the file does not record which period it is").format(
                path=response.path, what=response.what
            ),
            hint=_("give --period, or save the request payload with the response (docs/portal.md)"),
        )
    if recorded is not None and chosen is not None and recorded.code != chosen.code:
        raise UserError(
            _("{path}: the saved request is for {code}, --period says {code2}").format(
                path=response.path, code=recorded.code, code2=chosen.code
            ),
            hint=_("drop --period, or import this file on its own"),
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
    province = matcher.province
    if national:
        place = place_of(row.unit, root=True)
        if place is not None and province is not None and not province.holds(place):
            return None, None
        return matcher.match_province(row.unit), None
    try:
        return matcher.match(row.unit, within=None if row.root else root), None
    except UserError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        return None, f"{row.unit_at}: {exc.message}{hint}"


def _foreign(response: PortalResponse, province: TreeProvince | None) -> list[str]:
    """Labels of the other provinces a one-province response's rows say they are of."""
    if province is None or response.national:
        return []
    units = {(r.unit, r.root) for r in response.rows}
    places = [place_of(unit, root=root) for unit, root in units]
    found = [p.label for p in places if p is not None and not province.holds(p)]
    return [
        _("{count} units of {place}").format(count=n, place=label)
        for label, n in Counter(found).most_common()
    ]


def _check_province(response: PortalResponse, matcher: UnitMatcher) -> str | None:
    """Refuse a response of another province; the root unit of the one left (if any).

    A one-province response is refused whole when a row's code, name suffix or root name
    says another province, or when its root unit is not the tree's province: its rows
    must never be matched by name to this tree (``--skip-unknown`` does not help).
    """
    province = matcher.province
    foreign = _foreign(response, province)
    if foreign and province is not None:
        raise UserError(
            _(
                "{path} ({what}): it holds the figures of {foreign}, not of {province} of the "
                "unit tree; no row imported"
            ).format(
                path=response.path, what=response.what, foreign="; ".join(foreign),
                province=province.label,
            ),
            hint=_(
                "import the file into a data folder with that province's unit tree (the units "
                "table), or fetch the figures of {province} from the portal again"
            ).format(province=province.label),
        )  # fmt: skip
    roots = [r for r in response.rows if r.root]
    if not roots:
        return province.unit_code if province is not None else None
    try:
        root = matcher.match(roots[0].unit)
    except UserError:
        root = None
    if province is not None and root != province.unit_code:
        raise UserError(
            _(
                "{path} ({what}): the root unit “{root}” ({at}) is not {province} of the unit "
                "tree; no row imported"
            ).format(
                path=response.path,
                what=response.what,
                root=roots[0].unit.name,
                at=roots[0].unit_at,
                province=province.label,
            ),
            hint=_(
                "import only responses fetched for the whole province (the province's "
                "rootDepartmentId), or import into a data folder with the unit tree of the "
                "province the file belongs to"
            ),
        )
    return root


def read_portal(
    path: Path,
    *,
    index_set: IndexSet | None,
    tree: UnitTree,
    period: str | None = None,
    skip_unknown: bool = False,
    sheet: str | None = None,
    request: Request | None = None,
    captured_at: datetime | None = None,
) -> PortalImport:
    """Read one saved response as ``portal_scores`` records.

    ``index_set`` None: the portal's index set in force in the response's period
    (:func:`~chiso.portal.groups.portal_index_set`).  ``sheet`` picks the sheet of an Excel
    export, ``request`` is the request saved in a
    file of its own, ``captured_at`` the capture time of a file that records none.

    Raises:
        UserError: unreadable file, no period, another province's response, a unit that
            matches no unit (with "did you mean"; unless ``skip_unknown``), a score above
            its maximum.
    """
    response = read_response(path, sheet=sheet, request=request, captured_at=captured_at)
    chosen = _period(response, period)
    index_set = index_set or portal_index_set(chosen)
    check_index_set(index_set)
    matcher = UnitMatcher(tree, on=chosen.last_day)
    root = None if response.national else _check_province(response, matcher)
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
        raise portal_error(
            f"{path} ({response.what})", problems, hint=UNKNOWN_HINT if unknown else HINT
        )
    return PortalImport(
        str(path), response.shape, chosen.code, tuple(records), tuple(dict.fromkeys(skipped)),
        response.what,
    )  # fmt: skip


def tree_of_folder(folder: Path) -> UnitTree:
    """The data folder's own ``units`` table, else the tree of the configured province."""
    from chiso.storage.targets import read_canonical
    from chiso.storage.unitdata import tree_from_rows

    units = read_canonical(folder, "units") if folder.is_dir() else None
    if units is None:
        from chiso.domain.provinces import province_tree

        return province_tree()  # CHISO_PROVINCE, else Điện Biên
    return tree_from_rows(units.to_pylist())


@dataclass(frozen=True)
class PortalWrite:
    """What an import wrote, and the older captures it left out (one sentence each)."""

    diff: Diff
    kept_newer: tuple[str, ...] = ()


def _when(moment: datetime | None) -> str:
    if moment is None:
        return _("no capture time recorded")
    return _("captured at {moment:%d/%m/%Y %H:%M}").format(moment=moment)


def _pick(
    old: Record, new: Record, key: tuple[Any, ...], *, stored: bool
) -> tuple[Record, str | None]:
    """The record to keep of two that disagree, and a note of what was left out.

    The later capture wins; a dated capture replaces a stored undated one (said so);
    otherwise a missing capture time is refused: which is newer cannot be known.
    """
    t_old: datetime | None = old["fetched_at"]
    t_new: datetime | None = new["fetched_at"]
    where = "/".join(map(str, key))
    sides = {
        "where": where, "old_score": old["score"], "old_source": old["source"],
        "old_when": _when(t_old), "new_score": new["score"], "new_source": new["source"],
        "new_when": _when(t_new),
    }  # fmt: skip
    if t_new is None or (t_old is None and not stored):
        raise UserError(
            _(
                "{where}: {old_source} ({old_when}) gives {old_score}, {new_source} "
                "({new_when}) gives {new_score}; which is newer is not known"
            ).format(**sides),
            hint=_(
                "save capturedAt with each response, or give the file's capture time with "
                "--captured-at 2026-10-05T08:00+07:00 (the later capture is kept)"
            ),
        )
    if t_old is None:
        return new, _(
            "{where}: replaced {old_score} ({old_source}, {old_when}) with {new_score} "
            "({new_source}, {new_when})"
        ).format(**sides)
    if t_new < t_old:
        return old, _(
            "{where}: kept {old_score} ({old_source}, {old_when}), left out {new_score} "
            "({new_source}, {new_when}) as older"
        ).format(**sides)
    return new, None


def merge_portal(
    imports: Sequence[PortalImport], stored: Sequence[Record] = ()
) -> tuple[list[Record], list[str]]:
    """One record per key, the latest capture of each; the older ones left out, said.

    ``stored`` are the rows already in the data folder: an incoming row older than the
    stored one is left out; equal scores collapse; a disagreement where a capture time is
    missing is refused.
    """
    key = KEYS["portal_scores"]
    merged: dict[tuple[Any, ...], Record] = {}
    notes: list[str] = []
    for record in (r for item in imports for r in item.records):
        k = tuple(record[c] for c in key)
        old = merged.get(k)
        if old is None or old["score"] == record["score"]:
            merged.setdefault(k, record)
            continue
        merged[k], note = _pick(old, record, k, stored=False)
        notes += [note] if note else []
    earlier = {tuple(r[c] for c in key): r for r in stored}
    for k, record in list(merged.items()):
        old = earlier.get(k)
        if old is None or old["score"] == record["score"]:
            continue
        kept, note = _pick(old, record, k, stored=True)
        if kept is old:
            del merged[k]
        notes += [note] if note else []
    return list(merged.values()), notes


def write_portal(
    folder: Path, imports: Sequence[PortalImport], *, dry_run: bool = False
) -> PortalWrite:
    """Merge the records into ``folder``'s ``portal_scores`` (journalled), latest capture kept."""
    from chiso.storage.targets import read_canonical

    stored = read_canonical(folder, "portal_scores") if folder.is_dir() else None
    records, notes = merge_portal(imports, stored.to_pylist() if stored is not None else [])
    if not records:
        return PortalWrite(Diff(), tuple(notes))
    diff = write_rows(str(folder), "portal_scores", records, dry_run=dry_run)
    return PortalWrite(diff, tuple(notes))
