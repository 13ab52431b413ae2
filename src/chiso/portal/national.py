"""The national view: provinces ranked by the portal's captured scores, ours beside them.

Every province (``tinh`` unit of the data's tree) with stored ``portal_scores`` in the
period is listed with its six group scores, their total, its rank by the total and by
each group (ties share a rank) and when its scores were captured: the latest capture
time of its rows (an import never lets an older capture replace a newer one, so the
stored rows are each the latest of their unit, period and group).  Where the data holds
dossiers of a province, chiso's own computation (pooled over the province's subtree, as
the portal computes, ``domain.md`` §3.7) is shown beside the portal's, with the rank it
would give among the provinces so computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chiso.contracts.national import NationalGroup
from chiso.contracts.national import NationalView as Document
from chiso.contracts.national import ProvinceStanding as Standing
from chiso.domain.periods import Period
from chiso.engine.runner import Level, score
from chiso.i18n import _
from chiso.portal.groups import GROUPS, check_index_set
from chiso.portal.reconcile import json_number as _num
from chiso.portal.reconcile import judged_at_capture, portal_decimal, portal_rows
from chiso.spec.canonical import IndexSet
from chiso.storage.store import Store
from chiso.storage.unitdata import tree_of

__all__ = ["GROUP_COLUMNS", "NationalView", "ProvinceStanding", "national_view"]

#: The portal's six groups, in its order: (index-set group, portal code, label).
GROUP_COLUMNS = tuple((s.group, s.code, s.label) for s in GROUPS.values())


@dataclass(frozen=True)
class ProvinceStanding:
    """One province of the national view (group scores keyed by index-set group code)."""

    unit_code: str
    name: str
    portal_total: Decimal
    portal_groups: tuple[tuple[str, Decimal | None], ...]
    captured_at: datetime | None
    rank: int
    group_ranks: tuple[tuple[str, int | None], ...]
    ours_total: Fraction | None = None
    ours_groups: tuple[tuple[str, Fraction | None], ...] = ()
    ours_rank: int | None = None

    def contract(self) -> Standing:
        """Its JSON contract (:class:`chiso.contracts.national.ProvinceStanding`)."""
        ours = dict(self.ours_groups)
        return Standing(
            unit_code=self.unit_code, name=self.name, rank=self.rank,
            portal_total=float(self.portal_total),
            portal={g: _num(v) for g, v in self.portal_groups},
            group_ranks=dict(self.group_ranks),
            captured_at=None if self.captured_at is None else self.captured_at.isoformat(),
            ours_total=_num(self.ours_total), ours_rank=self.ours_rank,
            ours={g: _num(ours.get(g)) for g, _ in self.portal_groups} if ours else None,
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON (see docs/portal.md)."""
        return self.contract().dump()


@dataclass(frozen=True)
class NationalView:
    """The provinces of one period, best portal total first."""

    index_set: str
    period: str
    period_label: str
    groups: tuple[tuple[str, str, str], ...]  # (index-set group, portal code, label)
    provinces: tuple[ProvinceStanding, ...]

    def contract(self) -> Document:
        """Its JSON contract (:class:`chiso.contracts.national.NationalView`)."""
        return Document(
            index_set=self.index_set,
            period=self.period,
            period_label=self.period_label,
            groups=[NationalGroup(group=g, portal_code=c, label=label)
                    for g, c, label in self.groups],
            provinces=[p.contract() for p in self.provinces],
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract().dump()


def competition_ranks(values: dict[str, Any]) -> dict[str, int | None]:
    """Ranks of ``values`` (higher first, ties share a rank, ``None`` unranked).

    >>> competition_ranks({"a": 3, "b": 5, "c": 3, "d": None})
    {'a': 2, 'b': 1, 'c': 2, 'd': None}
    """
    present = sorted((v for v in values.values() if v is not None), reverse=True)
    first: dict[Any, int] = {}
    for n, v in enumerate(present, 1):
        first.setdefault(v, n)
    return {k: None if v is None else first[v] for k, v in values.items()}


def _with_dossiers(store: Store, provinces: set[str]) -> list[str]:
    """The provinces among ``provinces`` whose subtree has dossiers in the data."""
    if not store.has("dossiers"):
        return []
    t = store.table("dossiers")
    codes = set(store.to_pyarrow(t.select("unit_code").distinct()).column(0).to_pylist())
    tree = tree_of(store)
    found: set[str] = set()
    for code in codes:
        if code not in tree:
            continue
        chain = [code, *(u.unit_code for u in tree.ancestors(code))]
        found.update(c for c in chain if c in provinces)
    return sorted(found)


def national_view(store: Store, index_set: IndexSet, period: Period) -> NationalView:
    """Rank the provinces of ``period`` by their stored portal scores, ours beside them.

    Raises:
        UserError: no ``portal_scores`` table, or none of ``period``, or none of a
            province.
    """
    from chiso.errors import UserError

    check_index_set(index_set)
    stored = portal_rows(store, index_set, period)
    tree = tree_of(store)
    provinces = {u.unit_code for u in tree if u.kind.value == "tinh"}
    rows = [r for r in stored if r["unit_code"] in provinces]
    if not rows:
        raise UserError(
            _("no province has scores from the portal in {period}").format(period=period.label),
            hint=_(
                "import a capture from the portal with the provinces' scores: "
                "chiso import portal FILE… --into FOLDER"
            ),
        )
    order = [spec.group for spec in GROUPS.values()]
    portal: dict[str, dict[str, Decimal | None]] = {}
    taken: dict[str, datetime | None] = {}
    for r in rows:
        portal.setdefault(r["unit_code"], {})[r["group"]] = portal_decimal(r["score"])
        when = r.get("fetched_at")
        before = taken.get(r["unit_code"])
        taken[r["unit_code"]] = when if before is None or (when and when > before) else before
    ours = _ours(store, index_set, judged_at_capture(period, rows), sorted(portal))
    totals = {
        c: sum((v for v in g.values() if v is not None), Decimal(0)) for c, g in portal.items()
    }
    rank = competition_ranks(totals)
    by_group = {g: competition_ranks({c: portal[c].get(g) for c in portal}) for g in order}
    ours_rank = competition_ranks({c: total for c, (total, _) in ours.items()})
    standings = [
        ProvinceStanding(
            code, tree.get(code).name, totals[code],
            tuple((g, portal[code].get(g)) for g in order), taken[code], rank[code] or 0,
            tuple((g, by_group[g][code]) for g in order),
            ours[code][0] if code in ours else None,
            tuple(ours[code][1].items()) if code in ours else (), ours_rank.get(code),
        )
        for code in portal
    ]  # fmt: skip
    standings.sort(key=lambda s: (s.rank, s.unit_code))
    return NationalView(index_set.id, period.code, period.label, GROUP_COLUMNS, tuple(standings))


def _ours(
    store: Store, index_set: IndexSet, period: Period, provinces: list[str]
) -> dict[str, tuple[Fraction | None, dict[str, Fraction | None]]]:
    """Our total and group points of the provinces that have dossiers."""
    codes = _with_dossiers(store, set(provinces))
    if not codes:
        return {}
    result = score(store, index_set, [period], level=Level("units", tuple(codes)), pooled=True)[0]
    out: dict[str, tuple[Fraction | None, dict[str, Fraction | None]]] = {}
    for unit in result.units:
        points = unit.group_points()
        groups = {spec.group: points.get(spec.group) for spec in GROUPS.values()}
        present = [v for v in groups.values() if v is not None]
        out[unit.unit_code] = (sum(present, Fraction(0)) if present else None, groups)
    return out
