"""The dashboard's data, built once for the HTML page and its ``.json`` twin.

Each function builds the document of one page with its contract model
(:mod:`chiso.contracts.dashboard`, :mod:`chiso.contracts.due`) and returns it dumped, or
the model itself where the twin adds to it (:func:`unit_page`); the templates render the
same dictionaries, so page and twin never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from chiso.api import (
    PROGRESS,
    RANKING_BLOCKS,
    BlockRank,
    DueDossier,
    DuePage,
    DueRow,
    GradeBand,
    GradeCount,
    GroupHead,
    IndexSet,
    IndicatorPage,
    Level,
    LostGroup,
    LostIndicator,
    Period,
    Previous,
    RankedUnit,
    RankingBlock,
    RankingPage,
    ResultSet,
    Stake,
    StakeIndicator,
    Store,
    TrendGap,
    TrendMonth,
    UnitBlock,
    UnitIndicator,
    UnitPage,
    UnitResult,
    UnitRow,
    column_label,
    due_soon,
    exact,
    months_of,
    points_text,
    received_elsewhere_counts,
    received_elsewhere_label,
    score,
    select_units,
    stakes,
    value_label,
)
from chiso.errors import UserError
from chiso_web import coverage, data
from chiso_web.coverage import Coverage
from chiso_web.dashboard.dossier import unit_names
from chiso_web.dashboard.drilldown import RecordFilters
from chiso_web.units.access import Access, access_for, resolve_unit

# The levels of the ranking filter: every unit, then one per ranking block (its kinds,
# chiso.domain.units.RANKING_BLOCKS), so a filter never leaves out a kind its block holds.
BLOCK_LEVEL_LABELS = {"co_quan": gettext_lazy("Departments"), "xa": gettext_lazy("Communes, wards")}
LEVELS = {
    "all": gettext_lazy("All units"),
    **{block.level: BLOCK_LEVEL_LABELS.get(block.code, block.label) for block in RANKING_BLOCKS},
}
# Addresses written before the levels followed the blocks keep working.
OLD_LEVELS = {
    "kind:xa,phuong": next(b.level for b in RANKING_BLOCKS if b.code == "xa"),
    "kind:so,trung_tam": next(b.level for b in RANKING_BLOCKS if b.code == "co_quan"),
}
# How the ranking is shown: each block ranked within itself (as the province's reports
# rank), or one combined list.
VIEWS = {
    "blocks": gettext_lazy("By block (departments; communes, wards)"),
    "list": gettext_lazy("One list"),
}


@dataclass(frozen=True)
class Filters:
    """The ranking filters of a request: index set, period, level, subtree, view."""

    index_set: IndexSet
    period: Period
    level: str
    subtree: str | None
    view: str = "blocks"

    @classmethod
    def of(cls, request: HttpRequest) -> Filters:
        """Read ``index_set``, ``period``, ``level``, ``subtree`` and ``view`` from the query."""
        get = request.GET
        code = get.get("index_set") or None
        level = get.get("level") or "all"
        level = OLD_LEVELS.get(level, level)
        if level not in LEVELS:
            raise UserError(
                gettext("level %(level)s is not valid") % {"level": repr(level)},
                hint=gettext("use: %(codes)s") % {"codes": ", ".join(LEVELS)},
            )
        view = get.get("view") or "blocks"
        if view not in VIEWS:
            raise UserError(
                gettext("view %(view)s is not valid") % {"view": repr(view)},
                hint=gettext("use: %(codes)s") % {"codes": ", ".join(VIEWS)},
            )
        subtree = get.get("subtree") or None
        if subtree is not None:
            tree = data.service().tree()
            found = resolve_unit(tree, subtree)
            # a unit the user may not see answers as one that does not exist: no probing
            if found is None or not access_for(request).can_see(tree, found):
                raise UserError(
                    gettext("no unit %(code)s") % {"code": repr(subtree)},
                    hint=gettext("use a unit code"),
                )
            subtree = found
        index_set, period = data.index_set(code), data.period(get.get("period"))
        return cls(index_set, period, level, subtree, view)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (links that keep them)."""
        out = {
            "index_set": self.index_set.id,
            "period": self.period.code,
            "level": self.level,
            "view": self.view,
        }
        if self.subtree:
            out["subtree"] = self.subtree
        return out


def _visible(access: Access, units: list[UnitResult], subtree: str | None) -> list[UnitResult]:
    tree = data.service().tree()
    visible = access.visible_codes(tree)
    inside = None
    if subtree is not None:
        inside = {u.unit_code for u in tree.descendants(subtree, include_self=True)}
    return [
        u
        for u in units
        if (visible is None or u.unit_code in visible) and (inside is None or u.unit_code in inside)
    ]


def _previous(filters: Filters) -> Coverage | None:
    previous = filters.period.previous()
    try:
        return coverage.covered(filters.index_set, previous, filters.level)
    except UserError:
        return None


def _previous_units(before: Coverage | None) -> dict[str, UnitResult]:
    """The previous period's scored units (the others have nothing to compare)."""
    if before is None:
        return {}
    return {u.unit_code: u for u in before.results.units if u.scored}


def unit_row(results: ResultSet, unit: UnitResult, before: UnitResult | None) -> RankedUnit:
    """One unit of the ranking (:class:`chiso.contracts.rows.RankedUnit`): the documented
    score JSON (with ``has_data``) plus groups and changes.

    A unit without data (:mod:`chiso.engine.coverage`) keeps its indicators but has no
    total, score, class, rank or group points.
    """
    converted = results.rounded(unit.converted)
    previous = results.rounded(before.converted) if before is not None else None
    return RankedUnit(
        **{
            **dict(results.unit_contract(unit)),
            "has_data": coverage.shown_with_data(unit),
            "groups": coverage.group_scores(unit),
            "previous": (
                Previous(
                    converted=float(previous) if previous is not None else None,
                    rank=before.rank,
                    grade=before.grade,
                )
                if before is not None
                else None
            ),
            "change": (
                float(converted - previous)
                if converted is not None and previous is not None
                else None
            ),
        }
    )


def ranking(request: HttpRequest, filters: Filters) -> dict[str, Any]:
    """The ranking page's document (cached per data version, filters and access)."""
    access = access_for(request)
    key = ("ranking-doc", *sorted(filters.query().items()), filters.period.as_of, access)
    return data.service().cached(key, lambda _store: _ranking(access, filters))


def _head(filters: Filters, covered: Coverage) -> dict[str, Any]:
    """What the ranking and the unit page start with: the index set and the period."""
    return {
        "index_set": filters.index_set.id,
        "index_set_name": filters.index_set.name,
        "index_set_label": filters.index_set.short_label,
        "period": covered.results.period,
        "period_label": covered.results.period_label,
        "has_data": covered.has_data,
    }


def _ranking(access: Access, filters: Filters) -> dict[str, Any]:
    covered = coverage.covered(filters.index_set, filters.period, filters.level)
    results = covered.results
    before = _previous(filters)
    previous_units = _previous_units(before)
    units = _visible(access, results.units, filters.subtree)
    rows = [unit_row(results, u, previous_units.get(u.unit_code)) for u in units]
    counts = Counter(u.grade for u in units if u.scored)
    return RankingPage(
        **_head(filters, covered),
        units_with_data=sum(1 for row in rows if row.has_data),
        previous_period=before.results.period if before is not None else None,
        previous_period_label=before.results.period_label if before is not None else None,
        as_of=filters.period.as_of.isoformat(sep=" ", timespec="minutes"),
        level=filters.level,
        subtree=filters.subtree,
        scale=float(results.scale),
        data_version=data.service().version_tag(),
        groups=_groups(filters.index_set),
        bands=[
            GradeBand(grade=b.grade, label=b.label, min=float(b.min) if b.min else None)
            for b in filters.index_set.bands
        ],
        distribution=[
            GradeCount(grade=b.grade, label=b.label, count=counts.get(b.grade, 0))
            for b in filters.index_set.bands
        ],
        view=filters.view,
        units=rows,
        blocks=_blocks(filters, rows),
    ).dump()


def _blocks(filters: Filters, rows: list[RankedUnit]) -> list[RankingBlock]:
    """The ranking blocks of the shown units, each ranked by the engine among the block's
    units alone (rank 1..n per block, units without data last); empty for one list.

    Blocks without a unit the user may see are left out (an officer sees their own)."""
    if filters.view != "blocks" or filters.level != "all":
        return []
    shown = {row.unit_code for row in rows}
    out = []
    for block in RANKING_BLOCKS:
        ranked = coverage.covered(filters.index_set, filters.period, block.level).results
        units = [
            BlockRank(unit_code=u.unit_code, rank=u.rank, tied=u.tied)
            for u in ranked.units
            if u.unit_code in shown
        ]
        if units:
            block_row = RankingBlock(
                code=block.code, label=block.label, kinds=list(block.kinds), units=units
            )
            out.append(block_row)
    return out


def trend(filters: Filters, unit_code: str) -> list[TrendMonth | TrendGap]:
    """The unit's converted score and class per month of the period's year, to date."""
    now = data.now()
    months = [p for p in months_of(filters.period.start.year, now=now) if p.start <= now]

    def compute(store: Any) -> dict[str, dict[str, dict[str, Any]]]:
        sets = score(store, filters.index_set, months, level=Level.parse(filters.level))
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for result in sets:
            for unit in result.units:
                rounded = result.rounded(unit.converted)
                out.setdefault(unit.unit_code, {})[result.period] = {
                    "period": result.period,
                    "label": result.period_label,
                    "converted": float(rounded) if rounded is not None else None,
                    "grade": unit.grade,
                    "rank": unit.rank,
                }
        return out

    key = ("trend", filters.index_set.id, filters.period.start.year, now, filters.level)
    by_unit = data.service().cached(key, compute).get(unit_code, {})
    return [
        TrendMonth(**by_unit[m.code], shown=m.shown)
        if m.code in by_unit
        else TrendGap(period=m.code, shown=m.shown)
        for m in months
    ]


DUE_SORTS = {
    "stake": gettext_lazy("Points at stake"),
    "due": gettext_lazy("Due date"),
    "unit": gettext_lazy("Unit"),
}


def stake_period(month: str, now: datetime) -> Period:
    """The month ``YYYY-MM`` judged for its points at stake at ``now``'s hour (a month not
    yet begun: at its start), so one computation serves the hour."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    period = Period.of_month(int(month[:4]), int(month[5:]), now=hour)
    return replace(period, as_of=max(hour, period.start))


def _every_unit_key(index_set: IndexSet, period: Period) -> tuple[Any, ...]:
    return ("due-stake-all", index_set.id, period.code, period.as_of)


def due_stakes(
    index_set: IndexSet, now: datetime, found: list[DueDossier]
) -> dict[tuple[str, str], Stake]:
    """(unit code, month code) → points at stake, weighed against the month's end
    (:func:`chiso.api.stakes`; seeded per unit, so a unit's figure does not depend on the
    others asked). Cached per data version, month, hour and units; every unit's, when the
    job loop warmed them (:func:`warm_due_stakes`), is used as it is."""
    tree = data.service().tree()
    by_month: dict[str, set[str]] = {}
    for d in found:
        by_month.setdefault(Period.of_month(d.due_at.year, d.due_at.month).code, set()).add(
            d.unit_code
        )
    out: dict[tuple[str, str], Stake] = {}
    for month, codes in by_month.items():
        period = stake_period(month, now)
        key = ("due-stake", index_set.id, month, period.as_of, tuple(sorted(codes)))

        def compute(store: Store, period: Period = period, codes: set[str] = codes) -> Any:
            warmed = data.service().kept(store, _every_unit_key(index_set, period))
            if warmed is not None and codes <= set(warmed):
                return {c: warmed[c] for c in codes}
            units = [tree.resolve(c, on=period.start.date()) for c in sorted(codes)]
            return stakes(store, index_set, period, units)

        for code, stake in data.service().cached(key, compute).items():
            out[(code, month)] = stake
    return out


def warm_due_stakes(index_set: IndexSet, now: datetime) -> None:
    """Every unit's points at stake for the month of ``now`` and the next (a dossier due
    within 10 working days may fall in it), for the job loop, so no page view pays them."""
    this = stake_period(f"{now:%Y-%m}", now)
    for period in (this, stake_period(f"{this.end:%Y-%m}", now)):  # the month and the next

        def compute(store: Store, period: Period = period) -> dict[str, Stake]:
            units = select_units(data.service().tree(), Level("all"), period)
            return stakes(store, index_set, period, units)

        data.service().cached(_every_unit_key(index_set, period), compute)


def due(
    request: HttpRequest, unit_code: str | None, days: int, *, index_set: IndexSet | None = None
) -> dict[str, Any]:
    """The "sắp quá hạn" document: unfinished dossiers due within ``days`` working days,
    each with the points its unit loses if it goes late; filtered by ``field`` and
    ``procedure`` and sorted by ``sort`` (points at stake by default)."""
    access = access_for(request)
    service = data.service()
    tree = service.tree()
    index_set = index_set or data.index_set(request.GET.get("index_set") or None)
    visible = access.visible_codes(tree)
    codes = visible
    if unit_code is not None:
        inside = {u.unit_code for u in tree.descendants(unit_code, include_self=True)}
        codes = inside if visible is None else inside & visible
    now = data.now()
    found = service.query(lambda s: due_soon(s, now=now, days=days, unit_codes=codes))
    fields = sorted({d.field for d in found if d.field})
    field = request.GET.get("field") or None
    procedure = (request.GET.get("procedure") or "").strip().casefold() or None
    if field is not None:
        found = [d for d in found if d.field == field]
    if procedure is not None:
        found = [
            d
            for d in found
            if procedure in d.procedure_code.casefold()
            or procedure in (d.procedure_name or "").casefold()
        ]
    sort = request.GET.get("sort") or "stake"
    if sort not in DUE_SORTS:
        raise UserError(
            gettext("sort order %(sort)s is not valid") % {"sort": repr(sort)},
            hint=gettext("use: %(codes)s") % {"codes": ", ".join(DUE_SORTS)},
        )
    staked = due_stakes(index_set, now, found)
    names = {u.unit_code: u.name for u in tree}
    labels = {i.code: i.label for i in index_set.indicators}
    rows = []
    for d in found:
        stake = staked.get((d.unit_code, f"{d.due_at.year}-{d.due_at.month:02d}"))
        risk = stake if stake is not None and d.savable else None
        rows.append(
            DueRow(
                **d.contract().model_dump(),
                unit_name=names.get(d.unit_code, d.unit_code),
                channel_label=value_label("channel", d.channel),
                points_at_stake=risk.contract().points if risk else 0.0,
                points_text=points_text(risk.points) if risk else "0",
                stake_indicators=[
                    StakeIndicator(code=c, label=labels.get(c, c), points=p)
                    for c, p in (risk.contract().indicators if risk else {}).items()
                ],
            )
        )
    if sort == "stake":
        rows.sort(key=lambda r: (-r.points_at_stake, r.due_at, r.dossier_code))
    elif sort == "unit":
        rows.sort(key=lambda r: (r.unit_name, r.due_at, r.dossier_code))
    return DuePage(
        now=now.isoformat(sep=" ", timespec="minutes"),
        days=days,
        unit_code=unit_code,
        index_set=index_set.id,
        index_set_label=index_set.short_label,
        sort=sort,
        sorts={code: str(label) for code, label in DUE_SORTS.items()},
        field=field,
        fields=fields,
        procedure=request.GET.get("procedure") or None,
        count=len(rows),
        dossiers=rows,
    ).dump()


def _groups(index_set: IndexSet) -> list[GroupHead]:
    """The index set's groups: code, label, the short label of chart axes, maximum."""
    return [
        GroupHead(code=g.code, label=g.label, short_label=g.short_label, max=float(g.max))
        for g in index_set.groups
    ]


def unit_page(request: HttpRequest, filters: Filters, unit_code: str) -> UnitPage:
    """The unit page's document: its row, every indicator, groups and the monthly trend.

    The live fragment carries the trend too, so the chart's points move with the cards;
    the trend is scored once per data version and minute and shared by every open page.
    """
    covered = coverage.covered(filters.index_set, filters.period, filters.level)
    if unit_code not in {u.unit_code for u in covered.results.units}:
        covered = coverage.covered(filters.index_set, filters.period, f"units:{unit_code}")
    results = covered.results
    unit = results.unit(unit_code)
    previous = _previous_units(_previous(filters)).get(unit_code)
    row = unit_row(results, unit, previous)
    labels = {i.code: i for i in filters.index_set.indicators}
    group_labels = {g.code: g.label for g in filters.index_set.groups}
    indicators = []
    for item in row.indicators:
        ind = labels[item.code]
        lost = item.max - item.points if item.applicable and item.points is not None else None
        indicators.append(
            UnitIndicator(
                **dict(item),
                label=ind.label,
                short_label=ind.short_label,
                group_label=group_labels.get(ind.group_code, ind.group_code),
                description=ind.description,
                lost=round(lost, 6) if lost is not None else None,
                explainable=ind.numerator is not None and item.source == "computed",
            )
        )
    period = filters.period
    key = ("received_elsewhere", period.code, period.as_of)
    counts = data.service().cached(key, lambda store: received_elsewhere_counts(store, period))
    elsewhere = counts.get(unit_code, 0)  # counted once per data version and period
    return UnitPage(
        block=_unit_block(filters, unit),
        lost_by_group=_lost_by_group(filters.index_set, indicators),
        **_head(filters, covered),
        as_of=filters.period.as_of.isoformat(sep=" ", timespec="minutes"),
        data_version=data.service().version_tag(),
        groups=_groups(filters.index_set),
        unit=UnitRow(**{**dict(row), "indicators": indicators}),
        trend=trend(filters, unit_code),
        received_elsewhere=elsewhere,
        received_elsewhere_label=received_elsewhere_label(elsewhere),
    )


def _unit_block(filters: Filters, unit: UnitResult) -> UnitBlock | None:
    """The unit's rank among the units of its ranking block (the same kind: departments,
    or communes and wards), as the block's ranking shows it; None outside the blocks."""
    block = next((b for b in RANKING_BLOCKS if unit.kind in b.kinds), None)
    if block is None:
        return None
    ranked = coverage.covered(filters.index_set, filters.period, block.level).results
    mine = next((u for u in ranked.units if u.unit_code == unit.unit_code), None)
    return UnitBlock(
        code=block.code,
        label=block.label,
        rank=mine.rank if mine is not None else None,
        tied=mine.tied if mine is not None else False,
        ranked=sum(1 for u in ranked.units if u.rank is not None),
    )


def _lost_by_group(index_set: IndexSet, indicators: list[UnitIndicator]) -> list[LostGroup]:
    """Points lost per group, most first, each with its indicators that lost points (the
    dossiers behind them open from the indicator)."""
    out = []
    for group in index_set.groups:
        lost = []
        for i in indicators:
            if i.group == group.code and i.lost:
                lost.append(LostIndicator(code=i.code, label=i.label, lost=i.lost,
                                          explainable=i.explainable))  # fmt: skip
        if lost:
            lost.sort(key=lambda i: -i.lost)
            total = round(sum(i.lost for i in lost), 6)
            out.append(LostGroup(code=group.code, label=group.label, lost=total, indicators=lost))
    return sorted(out, key=lambda g: -g.lost)


def indicator_page(
    filters: Filters,
    unit_code: str,
    indicator: str,
    limit: int,
    records: RecordFilters | None = None,
) -> dict[str, Any]:
    """The records behind one indicator: those that count and those that cost points,
    those ``records`` keeps (progress, procedure)."""
    records = records or RecordFilters()
    found = data.service().explain(
        filters.index_set, filters.period, unit_code, indicator, limit, records.keep()
    )
    # where a dossier was received elsewhere: by the unit's name, as on the dossier's page
    points = {r.get("receiving_point") for r in (*found.costing, *found.counted)}
    return IndicatorPage(
        **dict(found.contract()),
        columns=found.columns,
        in_numerator=exact(found.in_numerator),
        period_label=filters.period.label,
        column_labels={c: column_label(c) for c in found.columns},
        receiving_point_names=unit_names(sorted(str(p) for p in points if p)),
        index_set=filters.index_set.id,
        limit=limit,
        progress=records.progress,
        progress_labels=dict(PROGRESS) if "progress" in found.columns else {},
        procedure=records.procedure,
    ).dump()
