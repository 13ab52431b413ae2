"""Template context shared by every page: the user's access and the site's clock."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from chiso_web.data import now
from chiso_web.units.access import access_for


def site(request: HttpRequest) -> dict[str, Any]:
    """``access``, ``site_now`` and ``refresh_seconds`` for every template."""
    return {
        "access": access_for(request),
        "site_now": now(),
        "refresh_seconds": settings.CHISO["CHISO_REFRESH_SECONDS"],
    }
