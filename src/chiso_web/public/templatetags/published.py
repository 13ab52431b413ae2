"""``{{ iso|vn_time }}``: an ISO instant from a JSON document as Vietnamese local time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def vn_time(value: Any) -> str:
    """``2026-11-22T04:17+00:00`` → ``22/11/2026 11:17`` (site time zone); bad input as is."""
    if not value:
        return "-"
    try:
        instant = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(instant):
        instant = timezone.localtime(instant)
    return f"{instant:%d/%m/%Y %H:%M}"
