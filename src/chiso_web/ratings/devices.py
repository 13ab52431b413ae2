"""Counter kiosks: a browser an administrator enrolled keeps a signed device key.

Enrolling (``/danh-gia/quay/dang-ky/``, administrators only) creates a :class:`Kiosk`
with 128 random bits as its key and sets the cookie :data:`COOKIE` to the key signed
with the site's secret (salt ``chiso-kiosk``), HttpOnly, SameSite=Strict, Secure behind
HTTPS, for five years.  A browser without a valid cookie of a kiosk that is not revoked
cannot use kiosk mode; revoking the kiosk (or changing ``CHISO_SECRET_KEY``) ends it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from chiso_web.ratings.models import Kiosk

COOKIE = "chiso_kiosk"
SIGNER = signing.Signer(salt="chiso-kiosk", sep=".")
MAX_AGE = 5 * 365 * 24 * 3600


def enrol(name: str, unit_code: str, by: str) -> Kiosk:
    """A new kiosk with a fresh device key."""
    return Kiosk.objects.create(
        name=name, unit_code=unit_code, key=secrets.token_urlsafe(16), enrolled_by=by
    )


def remember(response: HttpResponse, kiosk: Kiosk) -> None:
    """Make the browser that gets ``response`` this kiosk."""
    response.set_cookie(
        COOKIE,
        SIGNER.sign(kiosk.key),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=bool(settings.SESSION_COOKIE_SECURE),
    )


def device_of(request: HttpRequest) -> Kiosk | None:
    """The enrolled, not revoked kiosk this browser is, or None."""
    try:
        key = SIGNER.unsign(request.COOKIES.get(COOKIE, ""))
    except signing.BadSignature:
        return None
    return Kiosk.objects.filter(key=key, revoked_at__isnull=True).first()
