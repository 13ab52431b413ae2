"""Which periods and units have data, as the site shows them: the engine decides.

The rule is the library's (:mod:`chiso.engine.coverage`, the index set's
``units_without_data``): every score the site reads already says per unit whether it has
data (``has_data``) and, for a unit without, has no converted score, class or rank, the
units with data ranked among themselves.  This module only caches what the pages ask
about it: the dossiers of a period (publishing and report jobs refuse a period without
any) and the results of a period with the codes of the units with data.
"""

from __future__ import annotations

from dataclasses import dataclass

from chiso.domain.periods import Period
from chiso.engine.coverage import NO_DATA, dossiers_in
from chiso.engine.results import ResultSet, UnitResult, exact
from chiso.spec.canonical import IndexSet
from chiso_web import data

__all__ = ["NO_DATA", "Coverage", "coverage_of", "covered", "group_scores", "period_dossiers"]


def period_dossiers(period: Period) -> int:
    """:func:`chiso.engine.coverage.dossiers_in` on the site's data (cached until the data
    changes): 0 means the period has no data."""
    key = ("dossiers-in", period.code, period.as_of)
    return data.service().cached(key, lambda store: dossiers_in(store, period))


def group_scores(unit: UnitResult) -> dict[str, dict[str, float | None]]:
    """The unit's points and maximum per indicator group, as the ranking rows show them
    (dashboard and published snapshot); an unscored unit (no data) has no points."""
    maxima: dict[str, float] = {}
    for ind in unit.indicators:
        if ind.in_total and ind.applicable:
            maxima[ind.group] = maxima.get(ind.group, 0.0) + float(ind.max)
    return {
        group: {"points": exact(points) if unit.scored else None, "max": maxima.get(group)}
        for group, points in unit.group_points().items()
    }


@dataclass(frozen=True)
class Coverage:
    """A period's results and which of its units have data (``has_data``: any)."""

    results: ResultSet
    has_data: bool
    with_data: frozenset[str]


def coverage_of(results: ResultSet) -> Coverage:
    """The units with data of an engine result."""
    codes = frozenset(u.unit_code for u in results.units if u.has_data)
    return Coverage(results=results, has_data=bool(codes), with_data=codes)


def covered(index_set: IndexSet, period: Period, level: str = "all") -> Coverage:
    """The site's results of ``period`` with the units that have data (cached until the
    data changes)."""
    return coverage_of(data.service().results(index_set, period, level))
