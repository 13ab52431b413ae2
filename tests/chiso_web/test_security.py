"""Security headers, secure cookies behind HTTPS, login rate limiting, CSRF on sign-out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client_as: Any) -> None:
    answer = client_as("admin").get("/xep-hang/")
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]


def test_pages_have_no_inline_scripts(client_as: Any) -> None:
    html = client_as("admin").get("/xep-hang/").content.decode()
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head


def test_login_is_limited_after_repeated_failures(cast: Any, settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_LOGIN_ATTEMPTS": 3}
    client = Client()
    for _ in range(3):
        assert client.post("/dang-nhap/", {"username": "alice", "password": "x"}).status_code == 200
    locked = client.post("/dang-nhap/", {"username": "alice", "password": "alice-pw-2026"})
    assert locked.status_code == 429
    assert "quá nhiều lần" in locked.content.decode()


def test_a_good_login_reaches_the_ranking_and_is_audited(cast: Any) -> None:
    from chiso_web.audit.models import AuditEntry

    client = Client()
    answer = client.post("/dang-nhap/", {"username": "alice", "password": "alice-pw-2026"})
    assert answer.status_code == 302
    assert client.get(answer.headers["Location"], follow=True).status_code == 200
    assert AuditEntry.objects.filter(action="login", actor="alice").exists()


def test_sign_out_needs_a_post_with_csrf(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["alice"])
    assert client.get("/dang-xuat/").status_code == 405
    assert client.post("/dang-xuat/").status_code == 403


def test_sessions_are_http_only_and_secure_behind_https(settings: Any) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SECURE == settings.HTTPS
    assert settings.CSRF_COOKIE_SECURE == settings.HTTPS


def _post(username: str, password: str, address: str) -> int:
    answer = Client(REMOTE_ADDR=address).post(
        "/dang-nhap/", {"username": username, "password": password}
    )
    return int(answer.status_code)


def test_a_locked_address_still_lets_an_account_in_that_signed_in_from_it(
    cast: Any, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_LOGIN_ATTEMPTS": 3}
    assert _post("alice", "alice-pw-2026", "10.0.0.1") == 302  # alice's office address
    assert [_post("bob", "x", "10.0.0.1") for _ in range(4)] == [200, 200, 200, 429]
    assert _post("charlie", "charlie-pw-2026", "10.0.0.1") == 429  # new to the address
    assert _post("alice", "alice-pw-2026", "10.0.0.1") == 302  # her own budget there


def test_an_account_attacked_from_many_addresses_locks_for_new_addresses_only(
    cast: Any, settings: Any
) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_LOGIN_ATTEMPTS": 3}
    assert _post("alice", "alice-pw-2026", "10.0.0.1") == 302
    attempts = [_post("alice", "x", f"192.0.2.{n}") for n in range(1, 5)]
    assert attempts == [200, 200, 200, 429]
    assert _post("alice", "alice-pw-2026", "192.0.2.99") == 429
    assert _post("alice", "alice-pw-2026", "10.0.0.1") == 302


def test_a_success_gives_its_charge_back(cast: Any, settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_LOGIN_ATTEMPTS": 2}
    for _ in range(5):
        assert _post("alice", "alice-pw-2026", "10.0.0.7") == 302
