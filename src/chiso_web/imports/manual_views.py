"""Manual indicator values: the form, the history (with its ``.json`` twin), and the
evidence download — each limited to the units the user may see or write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from chiso.api import Unit
from chiso.errors import UserError
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.imports import manual as values
from chiso_web.imports.models import ManualValue
from chiso_web.units.access import Access, require_staff

HISTORY_LIMIT = 200


def _writable_units(access: Access, kinds: set[str] | None) -> list[Unit]:
    """Units the user may enter values for (of the kinds the manual indicators apply to)."""
    tree = data.service().tree()
    today = data.now().date()
    units = [u for u in tree if u.valid_to is None or u.valid_to >= today]
    return [
        u
        for u in units
        if access.can_write(tree, u.unit_code) and (kinds is None or u.kind.value in kinds)
    ]


def _history(access: Access, index_set_id: str) -> list[ManualValue]:
    tree = data.service().tree()
    visible = access.visible_codes(tree)
    query = ManualValue.objects.filter(index_set=index_set_id)
    if visible is not None:
        query = query.filter(unit_code__in=visible)
    return list(query[:HISTORY_LIMIT])


def _kinds(indicators: list[Any]) -> set[str] | None:
    kinds: set[str] = set()
    for ind in indicators:
        if ind.applies_to is None:
            return None
        kinds |= set(ind.applies_to)
    return kinds


def _document(request: HttpRequest, access: Access, index_set_id: str) -> dict[str, Any]:
    index_set = data.index_set(index_set_id)
    indicators = values.manual_indicators(index_set)
    unit_code = request.GET.get("unit", "")
    period = request.GET.get("period") or data.default_period().code
    tree = data.service().tree()
    shown = unit_code if unit_code and access.can_see(tree, unit_code) else ""
    return {
        "index_set": index_set_id,
        "index_set_label": data.index_set(index_set_id).short_label,
        "period": period,
        "unit_code": shown,
        "indicators": [
            {
                "code": i.code,
                "label": i.label,
                "full_label": i.full_label,
                "group": i.group_label,
                "max": float(i.max),
                "applies_to": sorted(i.applies_to) if i.applies_to is not None else None,
                "description": i.description,
            }
            for i in indicators
        ],
        "effect": values.effect(index_set, period, shown) if shown else None,
        "entries": [values.entry_json(mv) for mv in _history(access, index_set_id)],
    }


def manual(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Enter a manual value (officers: own subtree, administrators: any unit)."""
    access = require_staff(request)
    index_set_id = data.index_set_id(request.POST.get("index_set") or request.GET.get("index_set"))
    error: UserError | None = None
    if request.method == "POST" and fmt is None:
        try:
            saved = _save(request, access, index_set_id)
        except UserError as err:
            error = err
        else:
            messages.success(
                request,
                gettext("Value %(value)s saved for indicator %(indicator)s.")
                % {
                    "value": saved.value,
                    "indicator": data.index_set(index_set_id).indicator(saved.indicator).full_label,
                },
            )
            query = {"index_set": index_set_id, "unit": saved.unit_code, "period": saved.period}
            return HttpResponseRedirect(f"{reverse('imports:manual')}?{urlencode(query)}")
    doc = _document(request, access, index_set_id)
    if fmt == "json":
        return ok_json(doc)
    indicators = values.manual_indicators(data.index_set(index_set_id))
    context = {
        "doc": doc,
        "error": error,
        "form": request.POST if error else {},
        "index_sets": data.index_set_choices(),
        "full_labels": [
            {"code": i.code, "label": i.full_label} for i in data.index_set(index_set_id).indicators
        ],
        "units": _writable_units(access, _kinds(indicators)) if indicators else [],
        "may_write": access.role in ("admin", "officer"),
    }
    return render(request, "imports/manual.html", context, status=400 if error else 200)


def _save(request: HttpRequest, access: Access, index_set_id: str) -> ManualValue:
    if access.role not in ("admin", "officer"):
        raise PermissionDenied(gettext("a leader's account only reads, it does not enter values"))
    post = request.POST
    entry = values.Entry(
        index_set=index_set_id,
        indicator=post.get("indicator", ""),
        unit_code=post.get("unit", ""),
        period=post.get("period", ""),
        value=post.get("value", ""),
        note=post.get("note", ""),
    )
    return values.save(request, access, entry, request.FILES.get("evidence"))


def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file: only users who may see the value's unit."""
    access = require_staff(request)
    mv = ManualValue.objects.filter(pk=pk).exclude(evidence="").first()
    if mv is None or not access.can_see(data.service().tree(), mv.unit_code):
        raise Http404(gettext("no such evidence file, or you may not see it"))
    path = (values.evidence_root() / mv.evidence).resolve()
    if values.evidence_root().resolve() not in path.parents or not path.is_file():
        raise Http404(gettext("the evidence file is no longer on the server"))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=mv.evidence_name)
    response["Cache-Control"] = "private, no-store"
    return response
