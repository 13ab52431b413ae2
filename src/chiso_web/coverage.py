"""Which periods and units have data: one rule for the dashboard, publication and reports.

Under the index sets' zero-denominator rules a unit without a single dossier still
scores (e.g. 82,35, class "Tốt"), so a score does not say there was anything to score.
The rule (``docs/web.md``, "Periods and units without data"):

* a **period has data** when at least one dossier was received or finished in it
  (:func:`dossiers_in`); publication and report jobs refuse a period without;
* a **unit has data** in a period that has data when one of its indicators counts at
  least one record of the period — a dossier, petition, rating or assessment — in its
  denominator, or takes a score from a received report for the period.

A unit without data has no score, class or rank: units with data are ranked among
themselves, and the class distribution counts only them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from chiso.domain.periods import Period
from chiso.domain.ranking import collation_key
from chiso.engine.results import ResultSet, UnitResult, exact
from chiso.engine.store import Store
from chiso.engine.totals import ranked
from chiso.spec.canonical import IndexSet
from chiso_web import data

RECORD_TABLES = frozenset({"dossiers", "petitions", "ratings", "assessments"})
NO_DATA = "Chưa có dữ liệu"


def dossiers_in(store: Store, period: Period) -> int:
    """How many dossiers were received or finished in the period (0: the period has no data)."""
    t = store.table("dossiers")
    received = (t.received_at >= period.start) & (t.received_at < period.end)
    finished = (t.finished_at >= period.start) & (t.finished_at < period.end)
    counted = t.filter(received | finished).count().as_table()
    return int(store.to_pyarrow(counted).column(0)[0].as_py())


def period_dossiers(period: Period) -> int:
    """:func:`dossiers_in` on the site's data (cached until the data changes)."""
    key = ("dossiers-in", period.code, period.as_of)
    return data.service().cached(key, lambda store: dossiers_in(store, period))


def unit_has_records(index_set: IndexSet, unit: UnitResult) -> bool:
    """Whether one of the unit's indicators counts a record of the period (or is reported)."""
    tables = {
        i.code: i.denominator.table if i.denominator is not None else None
        for i in index_set.indicators
    }
    return any(
        ind.source == "reported"
        or (tables.get(ind.code) in RECORD_TABLES and bool(ind.denominator))
        for ind in unit.indicators
    )


def group_scores(unit: UnitResult, *, has_data: bool) -> dict[str, dict[str, float | None]]:
    """The unit's points and maximum per indicator group, as the ranking rows show them
    (dashboard and published snapshot); a unit without data has no points."""
    maxima: dict[str, float] = {}
    for ind in unit.indicators:
        if ind.in_total and ind.applicable:
            maxima[ind.group] = maxima.get(ind.group, 0.0) + float(ind.max)
    return {
        group: {"points": exact(points) if has_data else None, "max": maxima.get(group)}
        for group, points in unit.group_points().items()
    }


@dataclass(frozen=True)
class Coverage:
    """Results with the units without data unscored: ranked among the units with data."""

    results: ResultSet
    has_data: bool
    with_data: frozenset[str]


def cover(index_set: IndexSet, results: ResultSet, *, has_data: bool) -> Coverage:
    """Keep the scores of the units with data (re-ranked among themselves); the others
    follow, in name order, with no converted score, class or rank."""
    keep = [u for u in results.units if has_data and unit_has_records(index_set, u)]
    codes = frozenset(u.unit_code for u in keep)
    blank = [
        dataclasses.replace(u, converted=None, grade=None, grade_label=None, rank=None, tied=False)
        for u in results.units
        if u.unit_code not in codes
    ]
    blank.sort(key=lambda u: collation_key(u.name))
    units = ranked(index_set, keep) + blank
    return Coverage(
        results=dataclasses.replace(results, units=units),
        has_data=has_data and bool(keep),
        with_data=codes,
    )


def covered(index_set: IndexSet, period: Period, level: str = "all") -> Coverage:
    """The site's results of ``period`` under the rule above (cached until the data changes)."""
    key = ("covered", index_set.id, period.code, period.as_of, level)

    def compute(_store: Store) -> Coverage:
        results = data.service().results(index_set, period, level)
        return cover(index_set, results, has_data=period_dossiers(period) > 0)

    return data.service().cached(key, compute)
