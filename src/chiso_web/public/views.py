"""Public pages: published monthly results only, no account needed, no personal data.

Everything here is read from the frozen publications (``chiso_web.publications``); a
month that was never published answers 404 to everyone, staff included, so the public
address never shows live numbers.  The embeddable widget may be framed by any site.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from chiso.errors import UserError
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.public import opendata, payloads
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
            gettext("parameter limit %(value)s is not a whole number")
            % {"value": repr(request.GET["limit"])},
            hint=gettext("for example limit=20"),
        ) from None
    doc = payloads.ranking(payloads.choose(request))
    limit = max(1, min(limit, EMBED_LIMIT))
    context = {"doc": doc, "units": doc["units"][:limit], "query": _query(doc)}
    response = render(request, "public/embed.html", context)
    response.chiso_embeddable = True  # type: ignore[attr-defined]  # CSP frame-ancestors *
    response.xframe_options_exempt = True  # no X-Frame-Options
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def find(request: HttpRequest) -> HttpResponse:
    """ "Tìm xã của tôi": units of the latest published month whose name holds the words
    typed (diacritics optional); one match opens its page."""
    access_for(request)
    text = (request.GET.get("q") or "").strip()[:100]
    if not state.published_index_sets():
        return render(request, "public/find.html", {"doc": None, "q": text, "found": []})
    doc = payloads.ranking(payloads.choose(request))
    found = opendata.search(doc["units"], text)
    if len(found) == 1:
        target = reverse("public:unit", args=[found[0]["unit_code"]])
        return HttpResponseRedirect(f"{target}?{_query(doc)}")
    context = {"doc": doc, "q": text, "found": found, "query": _query(doc)}
    return render(request, "public/find.html", context)


def explain(request: HttpRequest) -> HttpResponse:
    """How the index is computed, in plain words, from the index set of the latest
    published month (or the site's)."""
    access_for(request)
    code = settings.CHISO["CHISO_INDEX_SET"]
    published = state.published_index_sets()
    doc = payloads.ranking(payloads.choose(request)) if published else None
    index_set = data.index_set(doc["index_set"] if doc else code)
    groups = [
        {
            "label": g.label,
            "max": g.max,
            "indicators": [i for i in index_set.indicators if i.group_code == g.code],
        }
        for g in index_set.groups
    ]
    floor = min((b.min for b in index_set.bands if b.min is not None), default=None)
    bands = [
        {"label": b.label, "from": b.min, "below": floor if b.min is None else None}
        for b in index_set.bands
    ]
    context = {"doc": doc, "index_set": index_set, "groups": groups, "bands": bands}
    return render(request, "public/explain.html", context)


def open_data(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The open-data catalogue: every published snapshot as CSV and JSON, with the schema
    and the licence."""
    access_for(request)
    doc = payloads.catalogue()
    if fmt == "json":
        return _json(doc)
    return render(request, "public/data.html", {"doc": doc})


def csv_file(request: HttpRequest, index_set: str, period: str, version: int) -> HttpResponse:
    """One published version as CSV (404 for a month or version never published)."""
    access_for(request)
    pub = state.version(index_set, state.month(period).code, str(version))
    response = HttpResponse(opendata.csv_text(pub), content_type="text/csv; charset=utf-8")
    name = f"chi-so-{index_set}-{period}-phien-ban-{version}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = PUBLIC_CACHE
    return response
