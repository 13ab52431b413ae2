"""The audit log page and its ``.json`` twin: administrators and leaders only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from chiso.errors import UserError
from chiso_web.audit.models import AuditEntry
from chiso_web.errors import ok_json
from chiso_web.units.access import require_staff

PAGE_SIZE = 100
ACTION_LABELS = {
    "import": gettext_lazy("Data import"),
    "import_cancel": gettext_lazy("Data import cancelled"),
    "manual_value": gettext_lazy("Manual value"),
    "check_report": gettext_lazy("Report check"),
    "publish": gettext_lazy("Publication"),
    "settings": gettext_lazy("Settings change"),
    "push": gettext_lazy("Data pushed through the API"),
    "api.push": gettext_lazy("Dossiers received through the API"),
    "api.token": gettext_lazy("API access token issued or revoked"),
    "lock": gettext_lazy("Period's figures locked"),
    "unlock": gettext_lazy("Period's figures unlocked"),
    "report.request": gettext_lazy("Report requested"),
    "login": gettext_lazy("Sign-in"),
    "login.failed": gettext_lazy("Failed sign-in"),
    "rating.refused": gettext_lazy("Rating refused"),
    "kiosk.enrol": gettext_lazy("Rating device at the counter enrolled"),
    "kiosk.revoke": gettext_lazy("Rating device at the counter revoked"),
    "anomaly.explain": gettext_lazy("Anomalous data explained"),
    "anomaly.withdraw": gettext_lazy("Anomalous data explanation withdrawn"),
}


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    """One entry as JSON."""
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "action_label": str(ACTION_LABELS.get(entry.action, entry.action)),
        "unit_code": entry.unit_code,
        "period": entry.period,
        "summary": entry.summary,
        "details": entry.details,
    }


def _page(request: HttpRequest) -> int:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        raise UserError(
            gettext("page must be a positive whole number"), hint=gettext("for example page=2")
        )
    return page


def audit_log(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Newest entries first, filtered by ``action`` and ``actor``, 100 per page."""
    access = require_staff(request)
    if not access.sees_everything:
        raise PermissionDenied(gettext("only administrators and leaders read the log"))
    query = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "")
    if action:
        query = query.filter(action=action)
    if actor:
        query = query.filter(actor=actor)
    paginator = Paginator(query, PAGE_SIZE)
    page = paginator.get_page(_page(request))
    doc = {
        "action": action,
        "actor": actor,
        "page": page.number,
        "pages": paginator.num_pages,
        "count": paginator.count,
        "entries": [entry_json(e) for e in page.object_list],
    }
    if fmt == "json":
        return ok_json(doc)
    actions = sorted(set(AuditEntry.objects.values_list("action", flat=True).distinct()))
    choices = [(a, ACTION_LABELS.get(a, a)) for a in actions]
    return render(request, "imports/audit_log.html", {"doc": doc, "actions": choices})
