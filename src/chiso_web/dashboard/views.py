"""Dashboard pages for signed-in staff; each has a ``.json`` twin with the same document.

Views are thin: check access (``chiso_web.units.access``), build the document
(``payloads``), render it or return it as JSON.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from chiso.api import UnitTree
from chiso.errors import UserError
from chiso_web import data
from chiso_web.dashboard import anomalies, drilldown, due_xlsx, overview, payloads, plan
from chiso_web.dashboard import wall as wall_screen
from chiso_web.dashboard.dossier import dossier_page
from chiso_web.dashboard.payloads import LEVELS, VIEWS, Filters
from chiso_web.errors import ok_json
from chiso_web.units.access import Access, access_for, get_unit_for_user, require_staff
from chiso_web.units.models import Role

MAX_RECORDS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _respond(
    request: HttpRequest, template: str, doc: dict[str, Any], fmt: str | None, **extra: Any
) -> HttpResponse:
    if fmt == "json":
        response = ok_json(doc)
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        return response
    return render(request, template, {"doc": doc, **extra})


def _context(request: HttpRequest, filters: Filters) -> dict[str, Any]:
    return {
        "filters": filters,
        "query": urlencode(filters.query()),
        "index_sets": data.index_set_choices(),
        "levels": LEVELS,
        "views": VIEWS,
        "subtrees": _subtrees(request, filters.subtree),
    }


def _subtrees(request: HttpRequest, chosen: str | None) -> list[tuple[str, str]]:
    """The units whose subtree the filter "Trong đơn vị" can narrow the list to, by name:
    those the user may see that have units under them, except a top unit (its subtree is
    every unit).  Empty — the filter is not shown — when there is none to choose."""
    service = data.service()
    tree = service.tree()
    visible = access_for(request).visible_codes(tree)
    out = [
        (code, name)
        for code, name in service.cached(("subtree-roots",), lambda _store: _inner(tree))
        if visible is None or code in visible
    ]
    if chosen is not None and all(code != chosen for code, _ in out):
        out.append((chosen, tree.get(chosen).name if chosen in tree else chosen))
    return out


def _inner(tree: UnitTree) -> list[tuple[str, str]]:
    """The units under a top unit that have units under them, by code and name (once per
    data version: each dashboard page's filters ask)."""
    return [
        (u.unit_code, u.name)
        for u in tree
        if u.parent_code is not None and tree.children(u.unit_code)
    ]


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is: a unit officer on their unit, a leader on the
    ranking, a province administrator on the overview, everyone else on the public
    results."""
    access = access_for(request)
    if access.role == Role.OFFICER and access.unit_code in data.service().tree():
        return HttpResponseRedirect(reverse("dashboard:unit", args=[access.unit_code]))
    targets: dict[str, str] = {Role.ADMIN: "dashboard:overview", Role.LEADER: "dashboard:ranking"}
    target = targets.get(access.role, "dashboard:ranking" if access.is_staff else "public:index")
    return HttpResponseRedirect(reverse(target))


def overview_page(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The province administrator's overview: classes, movers, units without data, what
    waits (uploads, report jobs, months to publish)."""
    overview.require_province(request)
    filters = Filters.of(request)
    doc = overview.overview(request, filters)
    return _respond(request, "dashboard/overview.html", doc, fmt, **_context(request, filters))


def ranking(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The period's ranking of the units the user may see."""
    access = require_staff(request)
    filters = Filters.of(request)
    if fmt == "json":
        return _ranking_json(request, filters, access)
    doc = payloads.ranking(request, filters)
    template = "dashboard/ranking.html"
    if request.headers.get("HX-Request") and fmt is None:
        template = "dashboard/_ranking_live.html"
    return _respond(request, template, doc, fmt, **_context(request, filters))


def _ranking_json(request: HttpRequest, filters: Filters, access: Access) -> HttpResponse:
    """The ranking twin from encoded bytes cached per data version, filters and access,
    with an ETag (a poller that already has it gets 304)."""

    def encode(_store: object) -> tuple[bytes, str]:
        doc = {"ok": True, "status": 200, **payloads.ranking(request, filters)}
        body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        return body, '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'

    key = ("ranking-json", *sorted(filters.query().items()), filters.period.as_of, access)
    body, etag = data.service().cached(key, encode)
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


def wall(request: HttpRequest) -> HttpResponse:
    """Full-screen ranking for an office display: top and bottom units of each block,
    the most improved, the clock, and every unit page after page; refreshes itself."""
    require_staff(request)
    filters = Filters.of(request)
    doc = payloads.ranking(request, filters)
    page = request.GET.get("trang") or None
    screen = wall_screen.wall(doc, page, settings.CHISO["CHISO_REFRESH_SECONDS"])
    context = {"doc": doc, "screen": screen, **_context(request, filters)}
    if page:  # the live refresh keeps the page asked for
        context["query"] = urlencode({**filters.query(), "trang": page})
    template = "dashboard/_wall_live.html" if request.headers.get("HX-Request") else None
    return render(request, template or "dashboard/wall.html", context)


def unit(request: HttpRequest, unit_code: str, fmt: str | None = None) -> HttpResponse:
    """A unit's indicators (numerator, denominator, points, maximum), groups and trend."""
    the_unit, can_write = get_unit_for_user(request, unit_code)
    filters = Filters.of(request)
    live = bool(request.headers.get("HX-Request")) and fmt is None
    page = payloads.unit_page(request, filters, the_unit.unit_code)
    template = "dashboard/_unit_live.html" if live else "dashboard/unit.html"
    extra = _context(request, filters)
    if fmt == "json":  # the block's plan and forecast (the page loads them with htmx)
        page = plan.unit_twin(page, filters.index_set, filters.period)
    return _respond(request, template, page.dump(), fmt, can_write=can_write, **extra)


def unit_badge(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The unit page's badge of open anomaly findings, fetched by the page with htmx: the
    rules (cached per data version) run after the page has shown, never before it."""
    the_unit, _ = get_unit_for_user(request, unit_code)
    filters = Filters.of(request)
    context = {
        "anomalies_open": anomalies.open_count(filters.period, the_unit.unit_code),
        "unit_code": the_unit.unit_code,
        "period": filters.period.code,
    }
    return render(request, "dashboard/_anomaly_badge.html", context)


def indicator(
    request: HttpRequest, unit_code: str, indicator: str, fmt: str | None = None
) -> HttpResponse:
    """The dossiers behind one indicator of one unit: those that count, those that cost;
    filtered by ``progress`` and ``procedure``; as a page, its ``.json`` twin or an Excel
    workbook of every record up to MAX_RECORDS per list (``fmt`` = ``"xlsx"``)."""
    the_unit, _ = get_unit_for_user(request, unit_code)
    filters = Filters.of(request)
    records = drilldown.RecordFilters.of(request)
    try:
        limit = min(int(request.GET.get("limit", "100")), MAX_RECORDS)
    except ValueError:
        raise UserError(
            gettext("limit must be a whole number"), hint=gettext("for example limit=100")
        ) from None
    if fmt == "xlsx":
        limit = MAX_RECORDS
    code = the_unit.unit_code
    doc = payloads.indicator_page(filters, code, indicator, max(limit, 1), records)
    if fmt == "xlsx":
        response = HttpResponse(drilldown.excel(doc, MAX_RECORDS), content_type=XLSX)
        name = f"{code}-{doc['indicator']}-{doc['period']}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    extra = {
        **_context(request, filters),
        "records_query": urlencode({**filters.query(), **records.query()}),
        "hidden": filters.query(),
        "tables": drilldown.tables(doc) if fmt is None else [],
        "numbers": drilldown.NUMBERS,
        "max_records": MAX_RECORDS,
    }
    return _respond(request, "dashboard/indicator.html", doc, fmt, **extra)


def dossier(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """One dossier's fields (opened from "Sắp quá hạn"); 404 outside the user's units."""
    require_staff(request)
    return _respond(request, "dashboard/dossier.html", dossier_page(request, code), fmt)


def due_soon(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Unfinished dossiers due within 1–10 working days (``days``), by points at stake;
    as a page, its ``.json`` twin or an Excel workbook (``fmt`` = ``"xlsx"``)."""
    access = require_staff(request)
    try:
        days = int(request.GET.get("days", "3"))
    except ValueError:
        days = 0
    if not 1 <= days <= 10:
        raise UserError(gettext("days must be from 1 to 10"), hint=gettext("for example days=3"))
    unit_code = request.GET.get("unit") or None
    if unit_code is not None:
        unit_code = get_unit_for_user(request, unit_code)[0].unit_code
    elif access.role == "officer":
        unit_code = access.unit_code
    doc = payloads.due(request, unit_code, days)
    if fmt == "xlsx":
        response = HttpResponse(due_xlsx.workbook(doc), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="sap-qua-han.xlsx"'
        return response
    query = {k: str(v) for k, v in request.GET.items() if v}
    return _respond(request, "dashboard/due.html", doc, fmt, query=urlencode(query))
