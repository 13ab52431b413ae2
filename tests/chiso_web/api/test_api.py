"""The push API: all-or-nothing batches, idempotent by dossier code, scoped tokens, and a
pushed dossier changes its unit's score."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chiso.ingest.importer import import_files
from chiso.ingest.issues import ImportRejectedError
from chiso.ingest.records import cell_text
from chiso_web.api import inbox
from chiso_web.api.models import PushedDossier
from chiso_web.api.tokens import create_token
from chiso_web.audit.models import AuditEntry
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_push import PUSH, dossiers, push

pytestmark = pytest.mark.django_db


def _unit_points(client: Client, code: str) -> dict[str, Any]:
    doc = client.get(f"/don-vi/{code}.json?period=2026-10").json()
    return {i["code"]: (i["numerator"], i["denominator"]) for i in doc["unit"]["indicators"]}


def test_a_pushed_batch_lands_in_the_data_and_changes_the_units_score(
    writable_data: Path, province_token: str, client_as: Any
) -> None:
    admin = client_as("admin")
    before = _unit_points(admin, ALICE_UNIT)
    batch = dossiers(ALICE_UNIT, 40)
    answer = push(Client(), province_token, {"dossiers": batch})
    assert answer.status_code == 202, answer.content
    doc = answer.json()
    assert (doc["received"], doc["new"], doc["changed"], doc["unchanged"]) == (40, 40, 0, 0)
    assert doc["merged"] is True and doc["pending"] == 0
    after = _unit_points(admin, ALICE_UNIT)
    assert after != before, "40 late dossiers must move the unit's indicators"
    read = Client().get(
        f"{PUSH}/{batch[0]['dossier_code']}", headers={"Authorization": f"Bearer {province_token}"}
    )
    assert read.status_code == 200
    stored = read.json()
    assert stored["dossier"]["unit_code"] == ALICE_UNIT
    assert stored["dossier"]["due_at"] == "2026-10-02T17:00:00"
    assert stored["push"]["state"] == "merged"
    entry = AuditEntry.objects.get(action="api.push")
    assert entry.actor == "API: Một cửa tỉnh" and entry.details["new"] == 40


def test_sending_the_same_batch_again_changes_nothing(
    writable_data: Path, province_token: str
) -> None:
    batch = dossiers(ALICE_UNIT, 10)
    assert push(Client(), province_token, {"dossiers": batch}).status_code == 202
    files = sorted((p, p.stat().st_mtime_ns) for p in writable_data.rglob("*.parquet"))
    again = push(Client(), province_token, {"dossiers": batch}).json()
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 10)
    assert sorted((p, p.stat().st_mtime_ns) for p in writable_data.rglob("*.parquet")) == files
    batch[3]["status"] = "finished"
    changed = push(Client(), province_token, {"dossiers": batch}).json()
    assert (changed["new"], changed["changed"], changed["unchanged"]) == (0, 1, 9)


def test_a_crash_between_merge_and_marking_only_costs_a_no_op_re_merge(
    writable_data: Path, province_token: str
) -> None:
    push(Client(), province_token, {"dossiers": dossiers(ALICE_UNIT, 5)})
    PushedDossier.objects.update(merged_at=None)  # as if the process died before marking
    merged, diff = inbox.flush_pending()
    assert merged == 5 and diff.writes == 0 and diff.unchanged == 5
    assert inbox.pending_count() == 0
    assert inbox.flush_pending()[0] == 0


def _csv_issue(folder: Path, record: dict[str, Any], tmp_path: Path) -> tuple[str, str, str]:
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(record))
        writer.writerow([cell_text(v) for v in record.values()])
    with pytest.raises(ImportRejectedError) as caught:
        import_files("dossiers", [path], str(folder), profile="chiso", dry_run=True)
    issue = caught.value.issues[0]
    return issue.column, issue.reason, issue.hint


def test_a_bad_date_rejects_the_whole_batch_naming_row_and_field_like_the_importer(
    writable_data: Path, province_token: str, tmp_path: Path
) -> None:
    batch = dossiers(ALICE_UNIT, 3)
    batch[1]["received_at"] = "31/02/2026"
    answer = push(Client(), province_token, {"dossiers": batch})
    assert answer.status_code == 422
    doc = answer.json()
    assert doc["ok"] is False and "không hồ sơ nào" in doc["error"] and doc["hint"]
    [problem] = doc["errors"]
    assert (problem["row"], problem["field"], problem["value"]) == (2, "received_at", "31/02/2026")
    expected = _csv_issue(writable_data, batch[1], tmp_path)
    assert (problem["field"], problem["reason"], problem["hint"]) == expected
    assert PushedDossier.objects.count() == 0


def test_unknown_fields_and_broken_bodies_are_explained(province_token: str) -> None:
    batch = dossiers(ALICE_UNIT, 1)
    batch[0]["mau_sac"] = "đỏ"
    doc = push(Client(), province_token, {"dossiers": batch}).json()
    assert (
        doc["errors"][0]["field"] == "mau_sac"
        and doc["errors"][0]["reason"] == "trường không có trong danh mục"
    )
    broken = push(Client(), province_token, "{not json")
    assert broken.status_code == 400 and "JSON" in broken.json()["error"]
    assert push(Client(), province_token, {"dossiers": []}).status_code == 400
    assert push(Client(), province_token, {"hoso": [1]}).status_code == 400
    big = push(Client(), province_token, {"dossiers": [{}] * 5001})
    assert big.status_code == 422 and "5000" in big.json()["error"]


@pytest.mark.parametrize("header", [None, "Bearer chiso_wrong", "Basic YWxpY2U6eA==", "Bearer "])
def test_missing_or_invalid_tokens_are_refused(province_token: str, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    answer = Client().post(PUSH, "{}", content_type="application/json", headers=headers)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert answer.json()["ok"] is False and answer.json()["hint"]


def test_a_revoked_token_is_refused_at_once(writable_data: Path) -> None:
    token, secret = create_token("Cũ", created_by="test")
    assert push(Client(), secret, {"dossiers": dossiers(ALICE_UNIT, 1)}).status_code == 202
    token.revoked = True
    token.save()
    answer = push(Client(), secret, {"dossiers": dossiers(ALICE_UNIT, 1)})
    assert answer.status_code == 401 and "thu hồi" in answer.json()["error"]


def test_a_token_scoped_to_alices_commune_cannot_push_or_read_charlies_dossiers(
    writable_data: Path, alice_token: str, province_token: str
) -> None:
    mixed = dossiers(ALICE_UNIT, 2) + dossiers(CHARLIE_UNIT, 1)
    answer = push(Client(), alice_token, {"dossiers": mixed})
    assert answer.status_code == 403
    doc = answer.json()
    assert [(e["row"], e["field"], e["value"]) for e in doc["errors"]] == [
        (3, "unit_code", CHARLIE_UNIT)
    ]
    assert ALICE_UNIT in doc["errors"][0]["hint"]
    assert PushedDossier.objects.count() == 0
    assert push(Client(), alice_token, {"dossiers": mixed[:2]}).status_code == 202
    push(Client(), province_token, {"dossiers": mixed[2:]})
    charlies = mixed[2]["dossier_code"]
    as_alice = {"Authorization": f"Bearer {alice_token}"}
    assert Client().get(f"{PUSH}/{charlies}", headers=as_alice).status_code == 404
    assert Client().get(f"{PUSH}/{mixed[0]['dossier_code']}", headers=as_alice).status_code == 200


def test_reading_back_an_unknown_dossier_is_a_404_in_the_error_shape(province_token: str) -> None:
    answer = Client().get(f"{PUSH}/KHONG-CO", headers={"Authorization": f"Bearer {province_token}"})
    assert answer.status_code == 404
    assert set(answer.json()) == {"ok", "status", "error", "hint", "errors"}
