"""Bearer tokens of pushing systems: made once, shown once, stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from chiso.errors import UserError
from chiso_web.api.models import ApiToken
from chiso_web.data import service
from chiso_web.units.access import Access
from chiso_web.units.models import Role

PREFIX = "chiso_"
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


class Unauthorized(Exception):
    """No usable token: answered 401 with ``WWW-Authenticate: Bearer``."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(name: str, *, unit_code: str = "", created_by: str) -> tuple[ApiToken, str]:
    """A new token (the model and the secret text, which is never stored)."""
    name = name.strip()
    if not name:
        raise UserError(
            gettext("the access token has no name"),
            hint=gettext("name it after the system that sends the data"),
        )
    unit_code = unit_code.strip()
    if unit_code and unit_code not in service().tree():
        raise UserError(
            gettext("no unit has the code %(code)s") % {"code": repr(unit_code)},
            hint=gettext("leave it empty (the whole province) or write a code of the unit table"),
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        digest=digest(secret),
        prefix=secret[: len(PREFIX) + 6],
        unit_code=unit_code,
        created_by=created_by,
    )
    return token, secret


def authenticate(request: HttpRequest) -> ApiToken:
    """The live token of ``Authorization: Bearer <token>``, else :class:`Unauthorized`."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized(
            gettext("no access token"),
            gettext(
                "send the header Authorization: Bearer <token>; an administrator makes tokens "
                "on the page API access tokens"
            ),
        )
    token = ApiToken.objects.filter(digest=digest(secret.strip())).first()
    if token is None or token.revoked:
        raise Unauthorized(
            gettext("the access token is not valid or was revoked"),
            gettext("ask an administrator for a new token"),
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_access(token: ApiToken) -> Access:
    """What a token may push and read: a unit's subtree, or the whole province."""
    if token.unit_code:
        return Access(Role.OFFICER, token.unit_code)
    return Access(Role.ADMIN)
