"""A dossier's own page: opened from "Sắp quá hạn", its fields in Vietnamese, kept to the
units the user may see."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db


def _first_due(client: Any) -> dict[str, Any]:
    doc = client.get("/sap-qua-han.json").json()
    assert doc["dossiers"], "the synthetic data should have dossiers due soon"
    first: dict[str, Any] = doc["dossiers"][0]
    return first


def test_a_due_dossier_opens_its_own_page_not_the_rating_slip(client_as: Any) -> None:
    alice = client_as("alice")
    due = _first_due(alice)
    code = due["dossier_code"]
    listing = alice.get("/sap-qua-han/").content.decode()
    links = re.findall(rf'<a href="([^"]+)"[^>]*>{re.escape(code)}</a>', listing)
    assert links == [f"/ho-so/{code}/"], links
    page = alice.get(links[0])
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<h1>Hồ sơ {code}</h1>" in html
    for label in ("Đơn vị tiếp nhận", "Thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"):
        assert f"<dt>{label}</dt>" in html, label
    assert "UBND xã Sín Thầu" in html
    due_at = due["due_at"]  # "2026-10-30 17:00:00" → "30/10/2026 17:00"
    shown = f"{due_at[8:10]}/{due_at[5:7]}/{due_at[:4]} {due_at[11:16]}"
    assert f"<dd>{shown}</dd>" in html
    assert "Chưa hoàn thành" in html  # no finished_at: said in words, not left blank
    doc = alice.get(f"/ho-so/{code}.json").json()
    jsonschema.validate(doc, SCHEMAS["dossier"])
    assert doc["dossier"]["dossier_code"] == code
    assert doc["dossier"]["unit_code"] == ALICE_UNIT
    assert doc["dossier"]["due_at"] == due_at


def test_a_dossier_outside_the_users_units_or_unknown_is_404(client_as: Any) -> None:
    code = _first_due(client_as("alice"))["dossier_code"]
    charlie = client_as("charlie")
    assert charlie.get(f"/ho-so/{code}/").status_code == 404
    answer = charlie.get(f"/ho-so/{code}.json")
    assert answer.status_code == 404
    jsonschema.validate(answer.json(), SCHEMAS["error"])
    assert client_as("leader").get(f"/ho-so/{code}/").status_code == 200
    assert client_as("admin").get("/ho-so/khong-co-ho-so-nay/").status_code == 404
    assert client_as("nobody").get(f"/ho-so/{code}.json").status_code == 403
    assert CHARLIE_UNIT != ALICE_UNIT
