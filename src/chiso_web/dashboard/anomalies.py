"""The "Dữ liệu bất thường" page: anomaly findings per unit (``chiso.anomalies``).

The province's administrators and leaders see every unit; an officer sees the units of
their own subtree.  Findings inform, never score.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chiso.anomalies import find_anomalies, load_rules
from chiso.anomalies.findings import affected_indicators
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.units.access import access_for, get_unit_for_user, require_staff

LIMIT = 20


def document(request: HttpRequest, unit_code: str | None) -> dict[str, Any]:
    """The page's document: ``chiso anomalies --format json`` for the units in scope."""
    access = access_for(request)
    service = data.service()
    tree = service.tree()
    visible = access.visible_codes(tree)
    codes = visible
    if unit_code is not None:
        inside = {u.unit_code for u in tree.descendants(unit_code, include_self=True)}
        codes = inside if visible is None else inside & visible
    period = data.period(request.GET.get("period"))
    rules = load_rules()
    index_set = data.index_set(request.GET.get("index_set") or None)
    report = service.query(
        lambda store: find_anomalies(store, period, rules, units=codes, limit=LIMIT)
    )
    names = {u.unit_code: u.name for u in tree}
    affects = {r.id: affected_indicators(r, index_set) for r in rules.rules.values()}
    doc = report.to_json(names, affects)
    doc["period_label"] = period.label
    doc["unit_code"] = unit_code
    return doc


def anomalies(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Findings per unit for the period (``period``), optionally one subtree (``unit``)."""
    access = require_staff(request)
    unit_code = request.GET.get("unit") or None
    if unit_code is not None:
        unit_code = get_unit_for_user(request, unit_code)[0].unit_code
    elif access.role == "officer":
        unit_code = access.unit_code
    doc = document(request, unit_code)
    if fmt == "json":
        response = ok_json(doc)
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        return response
    return render(request, "dashboard/anomalies.html", {"doc": doc})
