"""The "Dữ liệu bất thường" page: anomaly findings per unit (``chiso.anomalies``).

The province's administrators and leaders see every unit; an officer sees the units of
their own subtree.  The rules run once per data version and period for the whole province
(:func:`province_report`, through the data service's cache); pages and the unit page's
badge filter that.  An administrator marks a finding explained with a note
(:class:`~chiso_web.dashboard.models.Explanation`, in the audit log); everyone else sees
the mark.  Findings and marks inform, never score.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.api import (
    AnomaliesPage,
    AnomalyReport,
    Finding,
    Period,
    Unit,
    affected_indicators,
    find_anomalies,
    load_rules,
)
from chiso.errors import UserError
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.dashboard.models import Explanation
from chiso_web.errors import ok_json
from chiso_web.units.access import access_for, get_unit_for_user, require_staff, signed_in_user
from chiso_web.units.models import Role

LIMIT = 20
NOTE_MAX = 2000


def province_report(period: Period) -> AnomalyReport:
    """Every unit's findings of ``period``: run once per data version (cached)."""
    rules = load_rules()
    key = ("anomalies", period.code, period.as_of, rules.source, LIMIT)
    return data.service().cached(key, lambda s: find_anomalies(s, period, rules, limit=LIMIT))


def explanations(period: Period, codes: set[str] | None) -> dict[tuple[str, str], Explanation]:
    """The marks of ``period`` by (unit code, rule), for ``codes`` (None: every unit)."""
    query = Explanation.objects.filter(period=period.code)
    if codes is not None:
        query = query.filter(unit_code__in=sorted(codes))
    return {(e.unit_code, e.rule): e for e in query}


def explanation_json(mark: Explanation | None) -> dict[str, Any] | None:
    """A mark as the JSON twin shows it (null: not explained)."""
    if mark is None:
        return None
    return {"note": mark.note, "by": mark.actor, "at": mark.explained_at.isoformat()}


def open_count(period: Period, unit_code: str) -> int:
    """Findings of ``unit_code`` and its subtree in ``period`` not marked explained (the
    unit page's badge; the subtree is what ``/bat-thuong/?unit=`` lists)."""
    tree = data.service().tree()
    codes = {u.unit_code for u in tree.descendants(unit_code, include_self=True)}
    found = {(f.unit_code, f.rule.id) for f in province_report(period).findings}
    found = {key for key in found if key[0] in codes}
    if not found:
        return 0
    return len(found - set(explanations(period, codes)))


def document(request: HttpRequest, unit_code: str | None) -> dict[str, Any]:
    """The page's document: ``chiso anomalies --format json`` for the units in scope, each
    finding with its mark (``explained``) and the count still open."""
    access = access_for(request)
    tree = data.service().tree()
    visible = access.visible_codes(tree)
    codes = visible
    if unit_code is not None:
        inside = {u.unit_code for u in tree.descendants(unit_code, include_self=True)}
        codes = inside if visible is None else inside & visible
    period = data.period(request.GET.get("period"))
    full = province_report(period)
    kept = [f for f in full.findings if codes is None or f.unit_code in codes]
    report = AnomalyReport(full.period, full.rules, kept, full.seconds)
    index_set = data.index_set(request.GET.get("index_set") or None)
    names = {u.unit_code: u.name for u in tree}
    affects = {r.id: affected_indicators(r, index_set) for r in full.rules.rules.values()}
    marks = explanations(period, codes)
    found = report.contract(names, affects).dump()
    for unit in found["units"]:
        for finding in unit["findings"]:
            mark = marks.get((unit["unit_code"], finding["rule"]))
            finding["explained"] = explanation_json(mark)
    return AnomaliesPage.model_validate({
        **found,
        "open": sum(1 for f in kept if (f.unit_code, f.rule.id) not in marks),
        "period_label": period.label,
        "unit_code": unit_code,
        "can_explain": access.role == Role.ADMIN,
    }).dump()  # fmt: skip


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


def _finding(period: Period, unit: Unit, rule: str) -> Finding:
    found = province_report(period).findings
    finding = next((f for f in found if (f.unit_code, f.rule.id) == (unit.unit_code, rule)), None)
    if finding is None:
        raise UserError(
            gettext("%(unit)s has no finding “%(rule)s” in %(period)s")
            % {"unit": unit.name, "rule": rule, "period": period.label},
            hint=gettext("open the Anomalous data page again: the data may have changed"),
        )
    return finding


def _note(request: HttpRequest) -> str:
    note = request.POST.get("note", "").strip()
    if not note or len(note) > NOTE_MAX:
        problem = (
            gettext("the “Explanation” field must not be empty")
            if not note
            else gettext("the “Explanation” field is longer than %(max)s characters")
            % {"max": NOTE_MAX}
        )
        raise UserError(
            problem,
            hint=gettext(
                "write briefly why these dossiers are right (for example the extension "
                "letter's number)"
            ),
        )
    return note


@require_POST
def explain(request: HttpRequest) -> HttpResponse:
    """Mark a finding explained with a note, or withdraw the mark (``withdraw``); province
    administrators only; recorded in the audit log."""
    if require_staff(request).role != Role.ADMIN:
        raise PermissionDenied(gettext("only a province administrator marks findings as explained"))
    unit, _ = get_unit_for_user(request, request.POST.get("unit", ""))
    period = data.period(request.POST.get("period"))
    rule = request.POST.get("rule", "")
    finding = _finding(period, unit, rule)
    code = unit.unit_code
    marks = Explanation.objects.filter(unit_code=code, period=period.code, rule=rule)
    if request.POST.get("withdraw"):
        marks.delete()
        record(request, "anomaly.withdraw", f"bỏ giải trình: {finding.question}",
               unit_code=code, period=period.code, rule=rule)  # fmt: skip
    else:
        note, user = _note(request), signed_in_user(request)
        if not marks.update(note=note, explained_by=user, actor=user.get_username(),
                            explained_at=timezone.now()):  # fmt: skip
            Explanation.objects.create(unit_code=code, period=period.code, rule=rule, note=note,
                                       explained_by=user, actor=user.get_username())  # fmt: skip
        record(request, "anomaly.explain", f"đã giải trình: {finding.question}",
               unit_code=code, period=period.code, rule=rule, note=note)  # fmt: skip
    query = {"period": period.code}
    if request.POST.get("back_unit"):
        query["unit"] = request.POST["back_unit"]
    target = reverse("dashboard:anomalies")
    return HttpResponseRedirect(f"{target}?{urlencode(query)}#u-{code}")
