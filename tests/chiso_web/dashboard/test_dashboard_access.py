"""Each role sees only what it may — on the pages and through the JSON twins."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from chiso_web.dashboard.schemas import SCHEMAS
from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db


def _codes(doc: dict[str, Any]) -> set[str]:
    return {u["unit_code"] for u in doc["units"]}


def test_alice_sees_only_her_commune_in_the_ranking_json(client_as: Any) -> None:
    doc = client_as("alice").get("/xep-hang.json").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    assert _codes(doc) == {ALICE_UNIT}


def test_bob_in_alices_parent_sees_alice_and_charlie(client_as: Any) -> None:
    doc = client_as("bob").get("/xep-hang.json").json()
    assert {ALICE_UNIT, CHARLIE_UNIT} <= _codes(doc)


def test_leader_and_admin_see_every_unit(client_as: Any) -> None:
    leader = _codes(client_as("leader").get("/xep-hang.json").json())
    admin = _codes(client_as("admin").get("/xep-hang.json").json())
    assert leader == admin
    assert len(leader) > 40


def test_charlie_cannot_open_alices_unit_page_or_twin(client_as: Any) -> None:
    charlie = client_as("charlie")
    assert charlie.get(f"/don-vi/{ALICE_UNIT}/").status_code == 404
    answer = charlie.get(f"/don-vi/{ALICE_UNIT}.json")
    assert answer.status_code == 404
    jsonschema.validate(answer.json(), SCHEMAS["error"])
    assert charlie.get(f"/don-vi/{ALICE_UNIT}/chi-so/tien_do.json").status_code == 404


def test_alice_drills_down_to_the_dossiers_behind_a_lost_point(client_as: Any) -> None:
    alice = client_as("alice")
    unit = alice.get(f"/don-vi/{ALICE_UNIT}.json").json()
    jsonschema.validate(unit, SCHEMAS["unit"])
    lost = [i for i in unit["unit"]["indicators"] if i["lost"] and i["explainable"]]
    assert lost, "the synthetic commune should lose points somewhere"
    code = lost[0]["code"]
    doc = alice.get(f"/don-vi/{ALICE_UNIT}/chi-so/{code}.json").json()
    jsonschema.validate(doc, SCHEMAS["indicator"])
    assert doc["costing_points"]
    assert all(r.get("unit_code", ALICE_UNIT) == ALICE_UNIT for r in doc["costing_points"])
    page = alice.get(f"/don-vi/{ALICE_UNIT}/chi-so/{code}/")
    assert doc["costing_points"][0]["dossier_code"] in page.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_and_json_is_forbidden(client: Any) -> None:
    assert client.get("/xep-hang/").status_code == 302
    answer = client.get("/xep-hang.json")
    assert answer.status_code == 403
    jsonschema.validate(answer.json(), SCHEMAS["error"])


def test_an_account_without_a_role_sees_no_scores(client_as: Any) -> None:
    assert client_as("nobody").get("/xep-hang.json").status_code == 403


def test_due_soon_list_keeps_to_the_officers_unit(client_as: Any) -> None:
    doc = client_as("alice").get("/sap-qua-han.json").json()
    jsonschema.validate(doc, SCHEMAS["due"])
    assert all(d["unit_code"] == ALICE_UNIT for d in doc["dossiers"])
    everyone = client_as("admin").get("/sap-qua-han.json").json()
    assert everyone["count"] >= doc["count"]
    assert everyone["count"] > 0


def test_a_bad_period_is_one_sentence_with_a_hint(client_as: Any) -> None:
    answer = client_as("admin").get("/xep-hang.json?period=2026-13")
    assert answer.status_code == 400
    body = answer.json()
    jsonschema.validate(body, SCHEMAS["error"])
    assert "2026-13" in body["error"]


def test_the_ranking_twin_answers_304_to_a_poller_that_has_it(client_as: Any) -> None:
    admin = client_as("admin")
    first = admin.get("/xep-hang.json")
    etag = first.headers["ETag"]
    again = admin.get("/xep-hang.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client_as("alice").get("/xep-hang.json", headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["ETag"] != etag
