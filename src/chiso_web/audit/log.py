"""``record(request, action, summary, ...)``: the one way views write the audit log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chiso_web.audit.models import AuditEntry


def record(
    request: HttpRequest | None,
    action: str,
    summary: str,
    *,
    actor: str | None = None,
    unit_code: str = "",
    period: str = "",
    **details: Any,
) -> AuditEntry:
    """Append an entry; the actor is the logged-in user unless given (API tokens)."""
    user = getattr(request, "user", None) if request is not None else None
    signed_in = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        user=user if signed_in else None,
        actor=actor or (user.get_username() if signed_in and user is not None else "hệ thống"),
        action=action,
        unit_code=unit_code,
        period=period,
        summary=summary[:500],
        details=details,
    )
