"""Failed sign-ins reach the audit log: the account tried, the address, why."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chiso_web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def failed() -> list[dict[str, Any]]:
    return [e.details for e in AuditEntry.objects.filter(action="login.failed").order_by("id")]


def test_failed_sign_ins_are_audited_with_account_address_and_reason(
    cast: dict[str, Any], client: Client
) -> None:
    address = {"REMOTE_ADDR": "203.0.113.7"}
    client.post("/dang-nhap/", {"username": "alice", "password": "sai"}, **address)
    client.post("/dang-nhap/", {"username": "khongco", "password": "x"}, **address)
    cast["bob"].is_active = False
    cast["bob"].save()
    client.post("/dang-nhap/", {"username": "bob", "password": "bob-pw-2026"}, **address)
    assert failed() == [
        {"account": "alice", "address": "203.0.113.7", "reason": "password"},
        {"account": "khongco", "address": "203.0.113.7", "reason": "no_account"},
        {"account": "bob", "address": "203.0.113.7", "reason": "inactive"},
    ]
    entry = AuditEntry.objects.filter(action="login.failed").order_by("id").first()
    assert entry is not None and entry.user is None and entry.actor == "alice"
    assert entry.summary == "đăng nhập không thành công vào “alice” từ 203.0.113.7: sai mật khẩu"
    ok = client.post("/dang-nhap/", {"username": "alice", "password": "alice-pw-2026"}, **address)
    assert ok.status_code == 302 and len(failed()) == 3


def test_a_locked_address_is_audited_once_per_window(
    cast: dict[str, Any], client: Client, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_LOGIN_ATTEMPTS": 2}
    for _ in range(5):
        client.post(
            "/dang-nhap/", {"username": "alice", "password": "sai"}, REMOTE_ADDR="198.51.100.3"
        )
    reasons = [d["reason"] for d in failed()]
    assert reasons == ["password", "password", "locked"]
