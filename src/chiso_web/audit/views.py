"""The audit log page and its ``.json`` twin: administrators and leaders only."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chiso.errors import UserError
from chiso_web.audit.models import AuditEntry
from chiso_web.errors import ok_json
from chiso_web.units.access import require_staff

PAGE_SIZE = 100
ACTION_LABELS = {
    "import": "Nhập dữ liệu",
    "import_cancel": "Hủy nhập dữ liệu",
    "manual_value": "Giá trị nhập tay",
    "check_report": "Kiểm tra báo cáo",
    "publish": "Công bố",
    "settings": "Thay đổi cài đặt",
    "push": "Đẩy dữ liệu qua API",
    "api.push": "Nhận hồ sơ qua API",
    "api.token": "Cấp, thu hồi mã truy cập API",
    "lock": "Khóa số liệu kỳ",
    "unlock": "Mở khóa số liệu kỳ",
    "report.request": "Yêu cầu tạo báo cáo",
    "login": "Đăng nhập",
    "login.failed": "Đăng nhập không thành công",
    "rating.refused": "Từ chối đánh giá",
    "kiosk.enrol": "Đăng ký máy đánh giá tại quầy",
    "kiosk.revoke": "Thu hồi máy đánh giá tại quầy",
    "anomaly.explain": "Giải trình dữ liệu bất thường",
    "anomaly.withdraw": "Bỏ giải trình dữ liệu bất thường",
}


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    """One entry as JSON."""
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "action_label": ACTION_LABELS.get(entry.action, entry.action),
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
        raise UserError("page phải là số nguyên dương", hint="ví dụ page=2")
    return page


def audit_log(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Newest entries first, filtered by ``action`` and ``actor``, 100 per page."""
    access = require_staff(request)
    if not access.sees_everything:
        raise PermissionDenied("chỉ quản trị và lãnh đạo được xem nhật ký")
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
