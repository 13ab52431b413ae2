"""A dossier's own page: opened from "Sắp quá hạn", its fields in Vietnamese, kept to the
units the user may see."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pyarrow.parquet as pq
import pytest

from chiso.domain.units import UnitTree
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
    for label in ("Đơn vị giải quyết", "Thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"):
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


def _alice_dossiers(web_data: Path) -> list[dict[str, Any]]:
    table = pq.read_table(sorted((web_data / "dossiers").glob("*.parquet")))
    return [r for r in table.to_pylist() if r["unit_code"] == ALICE_UNIT]


def test_a_dossier_received_at_another_centre_says_where(client_as: Any, web_data: Path) -> None:
    rows = _alice_dossiers(web_data)
    elsewhere = next(r for r in rows if r["receiving_point"] not in (None, ALICE_UNIT))
    own = next(r for r in rows if r["receiving_point"] == ALICE_UNIT)
    names = {u.unit_code: u.name for u in UnitTree.dienbien()}
    where = elsewhere["receiving_point"]
    alice = client_as("alice")
    html = alice.get(f"/ho-so/{elsewhere['dossier_code']}/").content.decode()
    assert f"<dt>Nơi tiếp nhận</dt><dd>{names[where]}</dd>" in html  # the name, no code
    assert "<dt>Đơn vị giải quyết</dt><dd>UBND xã Sín Thầu</dd>" in html
    doc = alice.get(f"/ho-so/{elsewhere['dossier_code']}.json").json()
    jsonschema.validate(doc, SCHEMAS["dossier"])
    assert doc["receiving_point"]["unit_code"] == where
    assert doc["dossier"]["receiving_point"] == where and doc["dossier"]["unit_code"] == ALICE_UNIT
    own_html = alice.get(f"/ho-so/{own['dossier_code']}/").content.decode()
    assert "Nơi tiếp nhận" not in own_html  # received by the unit itself: nothing to say
    assert alice.get(f"/ho-so/{own['dossier_code']}.json").json()["receiving_point"] is None


def test_the_unit_page_says_how_many_dossiers_another_centre_received(
    client_as: Any, web_data: Path
) -> None:
    october = [r for r in _alice_dossiers(web_data) if r["received_at"].month == 10]
    n = sum(r["receiving_point"] not in (None, ALICE_UNIT) for r in october)
    assert n > 0
    alice = client_as("alice")
    doc = alice.get(f"/don-vi/{ALICE_UNIT}.json?period=2026-10").json()
    jsonschema.validate(doc, SCHEMAS["unit"])
    assert doc["received_elsewhere"] == n
    html = alice.get(f"/don-vi/{ALICE_UNIT}/?period=2026-10").content.decode()
    assert f"{n} hồ sơ tiếp nhận tại nơi khác" in html


def test_the_drill_down_of_an_indicator_names_the_receiving_point(client_as: Any) -> None:
    """The dossiers behind an indicator show where another centre received them by the
    unit's name, as the dossier's page does, not by its code."""
    alice = client_as("alice")
    address = f"/don-vi/{ALICE_UNIT}/chi-so/tien_do{{}}?period=2026-10&limit=500"
    doc = alice.get(address.format(".json")).json()
    rows = doc["costing_points"] + doc["counted"]
    points = {r["receiving_point"] for r in rows if r["receiving_point"]}
    assert points - {ALICE_UNIT} and "receiving_point" in doc["columns"]
    names = {u.unit_code: u.name for u in UnitTree.dienbien()}
    assert doc["receiving_point_names"] == {code: names[code] for code in points}
    html = alice.get(address.format("/")).content.decode()
    for code in points:
        assert f'data-label="Nơi tiếp nhận" data-value="{names[code]}">{names[code]}</td>' in html
        assert f">{code}</td>" not in html
