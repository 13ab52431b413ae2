"""One write scope for every path: a push, an upload, a kiosk rating or a manual value may
only touch records whose unit — the one sent *and* the one stored — lies in the writer's
scope (``chiso_web.units.scope``).  Each test writes a dossier that exists in another unit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chiso.storage.targets import read_canonical
from chiso_web.api.models import PushedDossier
from chiso_web.api.tokens import create_token
from chiso_web.imports.models import ImportRun, ManualValue
from chiso_web.ratings.models import Rating
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_imports import export, page_text, post_manual_value, stored_manual_values, work
from web_push import PUSH, dossiers, push
from web_ratings import canonical_ratings, enrol, kiosk_form, pick

pytestmark = pytest.mark.django_db


def _charlies(folder: Path) -> dict[str, Any]:
    """A stored dossier of charlie's commune (Mường Nhé)."""
    rows = read_canonical(folder, "dossiers").to_pylist()
    return min((r for r in rows if r["unit_code"] == CHARLIE_UNIT), key=lambda r: r["dossier_code"])


def _unit_of(folder: Path, code: str) -> str:
    rows = read_canonical(folder, "dossiers").to_pylist()
    return str(next(r["unit_code"] for r in rows if r["dossier_code"] == code))


def test_a_push_cannot_take_over_a_stored_dossier_of_another_unit(writable_data: Path) -> None:
    secret = create_token("Một cửa xã Sín Thầu", unit_code=ALICE_UNIT, created_by="test")[1]
    theirs = _charlies(writable_data)
    batch = dossiers(ALICE_UNIT, 2)
    batch[1]["dossier_code"] = theirs["dossier_code"]  # sent as alice's own unit
    answer = push(Client(), secret, {"dossiers": batch})
    assert answer.status_code == 403, answer.content
    doc = answer.json()
    assert [(e["row"], e["field"], e["value"]) for e in doc["errors"]] == [
        (2, "dossier_code", theirs["dossier_code"])
    ]
    reason = doc["errors"][0]["reason"]
    assert f"hồ sơ {theirs['dossier_code']} đã có trong dữ liệu của " in reason
    assert f"({CHARLIE_UNIT}), ngoài phạm vi mã truy cập" in reason
    assert set(doc["errors"][0]) == {"row", "field", "value", "reason", "hint"}  # nothing else
    assert PushedDossier.objects.count() == 0
    assert _unit_of(writable_data, theirs["dossier_code"]) == CHARLIE_UNIT


def test_a_push_cannot_take_over_a_dossier_still_waiting_in_the_inbox(
    writable_data: Path,
) -> None:
    alice = create_token("Sín Thầu", unit_code=ALICE_UNIT, created_by="test")[1]
    waiting = dossiers(CHARLIE_UNIT, 1, prefix="CHO")[0]
    PushedDossier.objects.create(
        dossier_code=waiting["dossier_code"], unit_code=CHARLIE_UNIT, payload=waiting,
        token_name="Mường Nhé", received_at=timezone.now(),
    )  # fmt: skip
    mine = {**waiting, "unit_code": ALICE_UNIT}
    answer = push(Client(), alice, {"dossiers": [mine]})
    assert answer.status_code == 403
    assert PushedDossier.objects.get().unit_code == CHARLIE_UNIT


def test_a_province_token_may_still_move_a_dossier(writable_data: Path) -> None:
    secret = create_token("Một cửa tỉnh", created_by="test")[1]
    theirs = dossiers(ALICE_UNIT, 1)[0]
    theirs["dossier_code"] = _charlies(writable_data)["dossier_code"]
    assert push(Client(), secret, {"dossiers": [theirs]}).status_code == 202
    assert _unit_of(writable_data, theirs["dossier_code"]) == ALICE_UNIT
    detail = Client().get(
        f"{PUSH}/{theirs['dossier_code']}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert detail.json()["dossier"]["unit_code"] == ALICE_UNIT


def test_an_upload_lists_every_row_of_another_units_dossier_as_rejected(
    client_as: Any, writable_data: Path
) -> None:
    theirs = _charlies(writable_data)["dossier_code"]
    line = f"{theirs},{ALICE_UNIT},{_charlies(writable_data)['procedure_code']},direct,"
    content = export(writable_data, [ALICE_UNIT, CHARLIE_UNIT]).decode()
    content += line + "05/10/2026 08:00,,,processing\n"
    files = SimpleUploadedFile("xuat.csv", content.encode())
    client_as("alice").post("/nhap-du-lieu/", {"table": "dossiers", "files": files})
    work()
    run = ImportRun.objects.get()
    assert run.status == "rejected" and run.bad_rows == 2 and run.issue_count == 2
    listed = [(i["row"], i["column"], i["value"]) for i in run.issues]
    assert listed == [(3, "dossier_code", "WEB-0002"), (4, "dossier_code", theirs)]
    assert f"hồ sơ {theirs} đã có trong dữ liệu của " in run.issues[1]["reason"]
    assert run.message.endswith("(và 1 dòng khác ngoài phạm vi, xem danh sách).")
    page = client_as("alice").get(f"/nhap-du-lieu/lan/{run.pk}/").content.decode()
    assert 'id="issues"' in page and theirs in page
    assert _unit_of(writable_data, theirs) == CHARLIE_UNIT


def test_a_ratings_upload_lists_the_dossier_of_another_unit(
    client_as: Any, writable_data: Path
) -> None:
    theirs = _charlies(writable_data)["dossier_code"]
    ratings = f"dossier_code,rated_at,channel,satisfied\n{theirs},20/10/2026 09:00,kiosk,1\n"
    files = SimpleUploadedFile("r.csv", ratings.encode())
    client_as("alice").post("/nhap-du-lieu/", {"table": "ratings", "files": files})
    work()
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert [(i["row"], i["value"]) for i in run.issues] == [(2, theirs)]
    assert f"({CHARLIE_UNIT}), ngoài phạm vi đơn vị của bạn" in run.issues[0]["reason"]


def test_the_kiosk_rates_only_dossiers_of_its_unit_and_no_account_rates(
    client_as: Any, writable_data: Path
) -> None:
    theirs = pick(writable_data, CHARLIE_UNIT, finished=True)
    doc = client_as("charlie").get(f"/danh-gia/ma/{theirs}.json").json()
    path = kiosk_form(doc["url"])
    for name in ("leader", "alice", "charlie"):  # accounts never rate, even their own unit's
        assert client_as(name).post(path, {"tong_the": "hai_long"}).status_code == 403
    alices = enrol(client_as, ALICE_UNIT)
    assert alices.post(path, {"tong_the": "hai_long"}).status_code == 404
    assert not Rating.objects.exists() and canonical_ratings(writable_data, theirs) == []
    charlies = enrol(client_as, CHARLIE_UNIT, "Quầy Mường Nhé")
    sent = charlies.post(path, {"tong_the": "hai_long", "thoi_gian": "dung_hen"})
    assert sent.status_code == 302 and canonical_ratings(writable_data, theirs) == [("kiosk", True)]


def test_a_manual_value_of_another_unit_names_that_unit(
    client_as: Any, writable_data: Path
) -> None:
    answer = post_manual_value(client_as("alice"), unit=CHARLIE_UNIT)
    assert answer.status_code == 400
    assert f"thuộc UBND xã Mường Nhé ({CHARLIE_UNIT}), ngoài phạm vi đơn vị của bạn" in page_text(
        answer
    )
    assert stored_manual_values() == [] and not ManualValue.objects.exists()
    assert post_manual_value(client_as("leader")).status_code == 403
    assert post_manual_value(client_as("alice")).status_code == 302


def test_the_api_refusal_is_json_not_html(writable_data: Path) -> None:
    secret = create_token("Sín Thầu", unit_code=ALICE_UNIT, created_by="test")[1]
    batch = dossiers(ALICE_UNIT, 1)
    batch[0]["dossier_code"] = _charlies(writable_data)["dossier_code"]
    answer = push(Client(), secret, json.dumps({"dossiers": batch}))
    assert answer["Content-Type"].startswith("application/") and answer.json()["ok"] is False
