"""The unit page's "Kế hoạch lên hạng" block: ``chiso plan`` for the unit and period and,
for the running month, ``chiso forecast``'s month-end score (docs/plan.md, docs/forecast.md).

Both are computed through the data service, once per data version (cached like the
anomaly badge); they take a second or more, so the page loads the block with htmx after
it has shown the scores (``dashboard:unit-plan``).  The forecast's calibration (the
whole province's previous month forecast again, seconds on a real province) is learnt
outside requests: the job loop's ``forecast_warm`` kind (:func:`warm_forecast`) learns it
for the data as it stands — at start, after an import or a push flush (at most once a
minute), each new hour — so the first page view finds it in the cache.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chiso.api import (
    LEVER_TEXTS,
    Forecast,
    IndexSet,
    MonthEnd,
    Period,
    PeriodKind,
    Plan,
    PlanContract,
    Store,
    UnitPage,
    UnitTwin,
    calibrated,
    forecast_units,
    plan_unit,
    tree_of,
)
from chiso_web import data
from chiso_web.dashboard.payloads import Filters, warm_due_stakes
from chiso_web.first_steps import NoDataError
from chiso_web.jobs.throttle import Throttle
from chiso_web.units.access import get_unit_for_user


def unit_plan(index_set: IndexSet, period: Period, unit_code: str) -> Plan:
    """The plan of ``unit_code`` for ``period`` (cached per data version and instant)."""
    key = ("plan", index_set.id, period.code, period.as_of, unit_code)
    return data.service().cached(key, lambda s: plan_unit(s, index_set, period, unit_code))


def running(period: Period) -> bool:
    """A month not over yet on the period's clock: the one a forecast is for."""
    return period.kind is PeriodKind.MONTH and period.as_of < period.end


def unit_forecast(index_set: IndexSet, period: Period, unit_code: str) -> Forecast | None:
    """The month-end forecast of ``unit_code``; None outside a running month."""
    if not running(period):
        return None

    def compute(store: Store) -> Forecast:
        unit = tree_of(store).resolve(unit_code, on=period.start.date())
        return forecast_units(store, index_set, period, [unit])[0]

    key = ("forecast", index_set.id, period.code, period.as_of, unit_code)
    return data.service().cached(key, compute)


#: The job loop learns the calibration at most this often (a stream of pushes changes the
#: data every few seconds; a page view after a change inside this window learns it itself).
WARM_SECONDS = 60.0
WARMING = Throttle(WARM_SECONDS)
#: What the loop learnt last: (store version, index set, period, hour) — one value.
_warmed: list[tuple[object, ...]] = [()]


def warm_forecast() -> bool:
    """The job loop's ``forecast_warm`` kind (periodic, a lane of its own): learn the
    running month's forecast calibration for the default index set and the data as it
    stands, under a read of the data service like a page view, so no page view does; then
    every unit's points at stake of this month and the next ("Sắp quá hạn",
    :func:`chiso_web.dashboard.payloads.warm_due_stakes`).
    Looked at each round; learnt when the data or the hour changed (``calibrated`` is
    cached by store and hour), at most every :data:`WARM_SECONDS`.  True when it learnt."""
    period = data.default_period()
    if not running(period):
        return False
    index_set = data.index_set()
    hour = period.as_of.replace(minute=0, second=0, microsecond=0)
    try:
        with data.service().reading() as store:
            key = (store.version, index_set.id, period.code, hour)
            if key == _warmed[0] or not WARMING.due():
                return False
            calibrated(store, index_set, period)
            _warmed[0] = key
        warm_due_stakes(index_set, data.now())
    except NoDataError:
        return False
    return True


def _contracts(
    index_set: IndexSet, period: Period, unit_code: str
) -> tuple[PlanContract, MonthEnd | None]:
    found = unit_forecast(index_set, period, unit_code)
    forecast = found.contract().month_end() if found is not None else None
    return unit_plan(index_set, period, unit_code).contract(), forecast


def plan_json(index_set: IndexSet, period: Period, unit_code: str) -> dict[str, Any]:
    """The block's ``plan`` and ``forecast`` (null outside a running month)."""
    plan, forecast = _contracts(index_set, period, unit_code)
    return {"plan": plan.dump(), "forecast": forecast.dump() if forecast is not None else None}


def unit_twin(page: UnitPage, index_set: IndexSet, period: Period) -> UnitTwin:
    """The unit twin: the page with the unit's plan and month-end forecast."""
    plan, forecast = _contracts(index_set, period, page.unit.unit_code)
    return UnitTwin(**dict(page), plan=plan, forecast=forecast)


def plan_block(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The block's HTML, fetched by the unit page with htmx (access as the unit page)."""
    the_unit, _ = get_unit_for_user(request, unit_code)
    filters = Filters.of(request)
    doc = plan_json(filters.index_set, filters.period, the_unit.unit_code)
    doc["rows"] = [_row(action) for action in doc["plan"]["actions"]]
    return render(request, "dashboard/_plan_content.html", doc)


def _row(action: dict[str, Any]) -> dict[str, Any]:
    """One action as the block shows it: records, what to do, points (formatted by the
    template's number filter, not the engine's text)."""
    text = LEVER_TEXTS.get(action["lever"]) or action["description"]
    return {"records": action["records"], "text": text, "points": action["points"]}
