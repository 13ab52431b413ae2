"""The pages "Toàn quốc" and "Đối chiếu với Cổng DVC quốc gia" (``chiso.portal``).

"Toàn quốc" ranks the provinces by the scores captured from the national portal (the
latest capture of each), with chiso's own computation beside a province whose dossiers
the data holds (``chiso national``).  "Đối chiếu" puts, per unit × group, chiso's points
beside the portal's, the difference and its likely cause (``chiso reconcile``), with an
Excel export.  Both are the province's work: administrators and leaders.  Each is
computed once per data version and period (the data service's cache).  A period without
portal scores is an empty page that says what to import, not an error.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy

from chiso.api import (
    DEFAULT_TOLERANCE,
    PORTAL_GROUP_COLUMNS,
    PORTAL_GROUPS,
    STATUS_WORDS,
    NationalPage,
    NationalView,
    Period,
    Reconciliation,
    ReconciliationPage,
    national_view,
    portal_index_set,
    reconcile,
    workbook,
)
from chiso.errors import UserError
from chiso_web import data
from chiso_web.dashboard.overview import require_province
from chiso_web.errors import ok_json

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_CAPTURE = gettext_lazy(
    "No scores captured from the national public service portal for %(period)s yet: an "
    "administrator imports a capture of the portal (a JSON or Excel file) with the portal "
    "scores import command, then opens the page again."
)


def _period(request: HttpRequest) -> Period:
    return data.period(request.GET.get("period"))


def _computed(kind: str, period: Period) -> tuple[dict[str, Any] | None, str | None]:
    """The view's JSON (or ``None``) and the message when the period has no portal scores."""
    index_set = data.index_set(portal_index_set(period).id)  # the portal's set in force

    def compute(store: Any) -> dict[str, Any] | None:
        try:
            if kind == "national":
                return national_view(store, index_set, period).to_json()
            return reconcile(store, index_set, period).to_json()
        except UserError:
            return None

    doc = data.service().cached((kind, period.code, period.as_of), compute)
    # the message is worded outside the cache: it follows the request's language
    return doc, None if doc is not None else str(NO_CAPTURE) % {"period": period.label}


def national_document(request: HttpRequest) -> dict[str, Any]:
    """The "Toàn quốc" document: ``chiso national --format json`` plus the page's words."""
    period = _period(request)
    doc, missing = _computed("national", period)
    if doc is None:  # the same document without provinces
        index_set = portal_index_set(period).id
        doc = NationalView(index_set, period.code, period.label, PORTAL_GROUP_COLUMNS, ()).to_json()
    provinces = [{**row, "captured_text": _moment(row["captured_at"])} for row in doc["provinces"]]
    page = {**doc, "provinces": provinces, "period": period.code, "missing": missing}
    return NationalPage.model_validate(page).dump()


def reconciliation_document(request: HttpRequest) -> dict[str, Any]:
    """The "Đối chiếu" document: ``chiso reconcile --format json`` plus the page's words."""
    period = _period(request)
    doc, missing = _computed("reconcile", period)
    if doc is None:  # the same document without lines
        index_set = portal_index_set(period).id
        doc = Reconciliation(index_set, period.code, period.label, DEFAULT_TOLERANCE, ()).to_json()
    words = _indicator_words(period)
    rows = [
        {**r, "status_label": STATUS_WORDS[r["status"]],
         "group_label": PORTAL_GROUPS[r["portal_code"]].label,
         "shown_difference": _shown(r["difference"]),
         "notes_text": "; ".join(_readable(n, words) for n in r["notes"])}
        for r in doc["rows"]
    ]  # fmt: skip
    page = {**doc, "rows": rows, "period": period.code, "missing": missing}
    return ReconciliationPage.model_validate(page).dump()


def _indicator_words(period: Period) -> list[tuple[re.Pattern[str], str]]:
    """Indicator codes of the portal index set → their labels (longest code first)."""
    rules = data.index_set(portal_index_set(period).id)
    indicators = [i for g in rules.groups for i in g.indicators]
    indicators.sort(key=lambda i: -len(i.code))
    return [(re.compile(rf"\b{re.escape(i.code)}\b"), f"“{i.label}”") for i in indicators]


def _readable(note: str, words: list[tuple[re.Pattern[str], str]]) -> str:
    """A reconciliation note with indicator names instead of codes."""
    for pattern, label in words:
        note = pattern.sub(label, note)
    return note.replace("chiso", gettext("the system"))


def _shown(difference: float | None) -> float | None:
    """The difference as printed (2 decimals): ``0.0`` rather than a signed ``0,00``."""
    return None if difference is None else round(difference, 2) + 0.0


def _moment(text: str | None) -> str:
    if text is None:
        return "-"
    from datetime import datetime

    return f"{datetime.fromisoformat(text):%d/%m/%Y %H:%M}"


def national_page(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Provinces ranked by the portal's scores, ours beside; ``fmt`` ``json``: the twin."""
    require_province(request)
    doc = national_document(request)
    if fmt == "json":
        return _private(ok_json(doc))
    query = urlencode({"period": doc["period"]})
    return render(request, "dashboard/national.html", {"doc": doc, "query": query})


def reconciliation_page(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Ours vs the portal per unit × group; ``fmt``: ``json`` or ``xlsx``."""
    require_province(request)
    doc = reconciliation_document(request)
    if fmt == "xlsx":
        response = HttpResponse(workbook(doc), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="doi-chieu-cong-dvc.xlsx"'
        return response
    if fmt == "json":
        return _private(ok_json(doc))
    query = urlencode({"period": doc["period"]})
    return render(request, "dashboard/reconciliation.html", {"doc": doc, "query": query})


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
