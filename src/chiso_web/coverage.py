"""Which periods and units have data, as the site shows them: the engine decides.

The rule is the library's (:mod:`chiso.engine.coverage`, the index set's
``units_without_data``): every score the site reads already says per unit whether it has
data (``has_data``) and, for a unit without, has no converted score, class or rank, the
units with data ranked among themselves.  This module only caches what the pages ask
about it: the dossiers of a period (publishing and report jobs refuse a period without
any) and the results of a period.
"""

from __future__ import annotations

from dataclasses import dataclass

from chiso.api import NO_DATA, IndexSet, Period, ResultSet, UnitResult, dossiers_in, exact
from chiso_web import data

__all__ = ["NO_DATA", "Coverage", "covered", "group_scores", "period_dossiers", "shown_with_data"]


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


def shown_with_data(unit: UnitResult) -> bool:
    """The ``has_data`` of a unit's row on the site: whether it is shown with a score.  The
    engine's ``has_data``, unless the index set scores units without data (then the row
    carries the score it has, and the schemas' "no data means no score" holds)."""
    return unit.scored


@dataclass(frozen=True)
class Coverage:
    """A period's results; ``has_data``: whether any unit is shown with a score."""

    results: ResultSet
    has_data: bool


def covered(index_set: IndexSet, period: Period, level: str = "all") -> Coverage:
    """The site's results of ``period`` (cached until the data changes)."""
    results = data.service().results(index_set, period, level)
    return Coverage(results, any(shown_with_data(u) for u in results.units))
