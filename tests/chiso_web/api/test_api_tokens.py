"""API tokens: made by an administrator (page or command), shown once, stored hashed."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from chiso_web.api.models import ApiToken
from chiso_web.audit.models import AuditEntry
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
PAGE = "/api/ma-truy-cap/"


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_the_admin_creates_a_scoped_token_shown_once_and_stored_hashed(client_as: Any) -> None:
    admin = client_as("admin")
    page = admin.post(PAGE, {"name": "Một cửa Sín Thầu", "unit_code": ALICE_UNIT})
    assert page.status_code == 200
    secret = re.search(r'<code id="secret">([^<]+)</code>', page.content.decode())
    assert secret is not None
    token = ApiToken.objects.get()
    assert token.unit_code == ALICE_UNIT and token.created_by == "admin"
    assert token.digest == hashlib.sha256(secret.group(1).encode()).hexdigest()
    assert secret.group(1) not in admin.get(PAGE).content.decode()  # never shown again
    assert token.prefix in admin.get(PAGE).content.decode()
    answer = Client().get("/api/v1/dossiers/KHONG-CO", headers=_bearer(secret.group(1)))
    assert answer.status_code == 404  # authenticated: the dossier just does not exist
    assert AuditEntry.objects.filter(action="api.token").count() == 1


def test_a_token_for_an_unknown_unit_is_refused_with_a_reason(client_as: Any) -> None:
    page = client_as("admin").post(PAGE, {"name": "Sai", "unit_code": "99999"})
    assert page.status_code == 400
    assert "không có đơn vị mã" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_at_once(client_as: Any) -> None:
    admin = client_as("admin")
    page = admin.post(PAGE, {"name": "Tạm", "unit_code": ""}).content.decode()
    secret = re.search(r'<code id="secret">([^<]+)</code>', page)
    assert secret is not None
    token = ApiToken.objects.get()
    assert admin.post(f"{PAGE}{token.pk}/thu-hoi/").status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert Client().get("/api/v1/dossiers/X", headers=_bearer(secret.group(1))).status_code == 401


@pytest.mark.parametrize("name", ["alice", "bob", "leader"])
def test_only_the_province_administrator_manages_tokens(client_as: Any, name: str) -> None:
    client = client_as(name)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_visitors_are_sent_to_sign_in(client: Client) -> None:
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/dang-nhap/" in answer["Location"]


def test_the_command_prints_a_working_token_once(db: None) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "--name", "Một cửa", "--unit", ALICE_UNIT, stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    assert secret.startswith("chiso_") and "một lần" in err.getvalue()
    assert ApiToken.objects.get().digest == hashlib.sha256(secret.encode()).hexdigest()
    with pytest.raises(CommandError, match="không có đơn vị"):
        call_command("create_api_token", "--name", "x", "--unit", "99999")
