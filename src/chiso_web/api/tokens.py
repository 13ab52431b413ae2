"""Bearer tokens of pushing systems: made once, shown once, stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

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
        raise UserError("tên mã truy cập đang trống", hint="đặt tên theo hệ thống gửi dữ liệu")
    unit_code = unit_code.strip()
    if unit_code and unit_code not in service().tree():
        raise UserError(
            f"không có đơn vị mã {unit_code!r}",
            hint="để trống (cả tỉnh) hoặc ghi mã đơn vị trong bảng đơn vị",
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
            "thiếu mã truy cập",
            "gửi tiêu đề Authorization: Bearer <mã>; quản trị viên tạo mã ở trang Mã truy cập API",
        )
    token = ApiToken.objects.filter(digest=digest(secret.strip())).first()
    if token is None or token.revoked:
        raise Unauthorized(
            "mã truy cập không hợp lệ hoặc đã bị thu hồi",
            "xin quản trị viên cấp mã mới",
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
