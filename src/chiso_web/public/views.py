"""Public pages: published monthly results only, no account needed, no personal data.

Everything here is read from the frozen publications (``chiso_web.publications``); a
month that was never published answers 404 to everyone, staff included, so the public
address never shows live numbers.  The embeddable widget may be framed by any site.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from chiso.errors import UserError
from chiso_web.errors import ok_json
from chiso_web.public import payloads
from chiso_web.publications import state
from chiso_web.units.access import access_for

EMBED_LIMIT = 200
PUBLIC_CACHE = "public, max-age=60"


def _json(doc: dict[str, Any]) -> HttpResponse:
    response = ok_json(doc)
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def _query(doc: dict[str, Any]) -> str:
    return urlencode({"index_set": doc["index_set"], "period": doc["period"]})


def index(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The latest (or chosen) published month: ranking, classes, trend, distribution."""
    access_for(request)  # the same published results for every role
    if fmt != "json" and not request.GET and not state.published_index_sets():
        return render(request, "public/index.html", {"doc": None})
    doc = payloads.ranking(payloads.choose(request))
    if fmt == "json":
        return _json(doc)
    return render(request, "public/index.html", {"doc": doc, "query": _query(doc)})


def unit(request: HttpRequest, unit_code: str, fmt: str | None = None) -> HttpResponse:
    """One unit in a published month: groups, indicators' points and its published trend."""
    access_for(request)
    doc = payloads.unit(payloads.choose(request), unit_code)
    if fmt == "json":
        return _json(doc)
    return render(request, "public/unit.html", {"doc": doc, "query": _query(doc)})


def embed(request: HttpRequest) -> HttpResponse:
    """A compact ranking for an iframe on the province portal (framing allowed)."""
    access_for(request)
    try:
        limit = int(request.GET.get("limit") or EMBED_LIMIT)
    except ValueError:
        raise UserError(
            f"tham số limit {request.GET['limit']!r} không phải số nguyên", hint="ví dụ limit=20"
        ) from None
    doc = payloads.ranking(payloads.choose(request))
    limit = max(1, min(limit, EMBED_LIMIT))
    context = {"doc": doc, "units": doc["units"][:limit], "query": _query(doc)}
    response = render(request, "public/embed.html", context)
    response.chiso_embeddable = True  # type: ignore[attr-defined]  # CSP frame-ancestors *
    response.xframe_options_exempt = True  # no X-Frame-Options
    response["Cache-Control"] = PUBLIC_CACHE
    return response
