"""Manual indicator values: entered within one's units, written to the data, scored,
with evidence that only those who see the unit may download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso_web.audit.models import AuditEntry
from chiso_web.imports.models import ManualValue
from web_cast import ALICE_UNIT, BOB_UNIT, CHARLIE_UNIT
from web_imports import (
    MANUAL_INDEX_SET,
    MANUAL_PAGE,
    page_text,
    post_manual_value,
    stored_manual_values,
)

pytestmark = pytest.mark.django_db


def _effect(client: Any, index_set: str, unit: str) -> dict[str, Any]:
    query = f"?index_set={index_set}&unit={unit}&period=2026-10"
    doc = client.get(f"/nhap-du-lieu/gia-tri-thu-cong.json{query}").json()
    return doc["effect"]  # type: ignore[no-any-return]


def test_alices_value_is_written_and_changes_her_communes_score(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    before = _effect(alice, MANUAL_INDEX_SET, ALICE_UNIT)
    assert before["indicators"][0]["points"] is None
    evidence = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4 minh chung")
    answer = post_manual_value(alice, value="4,5", evidence=evidence)
    assert answer.status_code == 302
    after = _effect(alice, MANUAL_INDEX_SET, ALICE_UNIT)
    assert after["indicators"][0]["points"] == 4.5
    assert after["total"] == pytest.approx(before["total"] + 4.5)
    assert after["converted"] != before["converted"]
    [row] = stored_manual_values()
    assert row["unit_code"] == ALICE_UNIT and row["value"] == 4.5 and row["author"] == "alice"
    unit = alice.get(
        f"/don-vi/{ALICE_UNIT}.json?index_set={MANUAL_INDEX_SET}&period=2026-10"
    ).json()
    shown = {i["code"]: i for i in unit["unit"]["indicators"]}["publish_on_time"]
    assert shown["points"] == 4.5
    entry = AuditEntry.objects.get(action="manual_value")
    assert entry.unit_code == ALICE_UNIT and entry.details["evidence"] == "cong-van.pdf"
    page = alice.get(answer["Location"]).content.decode()
    assert "Đã ghi giá trị" in page and "cong-van.pdf" in page


def test_evidence_is_downloadable_only_by_who_sees_the_unit(
    client_as: Any, writable_data: Path
) -> None:
    evidence = SimpleUploadedFile("anh.png", b"\x89PNG minh chung")
    assert post_manual_value(client_as("alice"), evidence=evidence).status_code == 302
    pk = ManualValue.objects.get().pk
    url = f"/nhap-du-lieu/gia-tri-thu-cong/{pk}/minh-chung/"
    got = client_as("alice").get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"\x89PNG minh chung"
    assert client_as("bob").get(url).status_code == 200  # alice's parent unit
    assert client_as("leader").get(url).status_code == 200
    assert client_as("charlie").get(url).status_code == 404
    assert client_as("nobody").get(url).status_code == 403
    history = client_as("charlie").get(
        f"/nhap-du-lieu/gia-tri-thu-cong.json?index_set={MANUAL_INDEX_SET}"
    )
    assert history.json()["entries"] == []
    spied = client_as("charlie").get(
        f"/nhap-du-lieu/gia-tri-thu-cong.json?index_set={MANUAL_INDEX_SET}&unit={ALICE_UNIT}"
    )
    assert spied.json()["effect"] is None


def test_alice_cannot_enter_a_value_for_charlies_commune(
    client_as: Any, writable_data: Path
) -> None:
    answer = post_manual_value(client_as("alice"), unit=CHARLIE_UNIT)
    assert answer.status_code == 400
    assert f"({CHARLIE_UNIT}), ngoài phạm vi đơn vị của bạn" in page_text(answer)
    assert stored_manual_values() == [] and not ManualValue.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "7"}, "phải là số từ 0 đến 6"),
        ({"value": "năm"}, "phải là số từ 0 đến 6"),
        ({"note": "  "}, "Ghi chú là bắt buộc"),
        ({"period": "tháng mười"}, "tháng mười"),
        ({"indicator": "tien_do"}, "không phải chỉ số nhập tay"),
        ({"evidence": SimpleUploadedFile("x.exe", b"MZ")}, "không được nhận"),
    ],
)
def test_bad_input_is_one_clear_sentence_and_nothing_is_written(
    client_as: Any, writable_data: Path, fields: dict[str, Any], message: str
) -> None:
    answer = post_manual_value(client_as("alice"), **fields)
    assert answer.status_code == 400
    page = page_text(answer)
    assert message in page and "Gợi ý" in page
    assert stored_manual_values() == [] and not AuditEntry.objects.filter(action="manual_value")


def test_province_indicator_of_dienbien_applies_to_the_province_only(
    client_as: Any, writable_data: Path
) -> None:
    fields = {"index_set": "dienbien-459-2023", "indicator": "ck_cs1"}
    refused = post_manual_value(client_as("bob"), **fields)
    assert refused.status_code == 400 and "chỉ áp dụng cho đơn vị loại tinh" in page_text(refused)
    bob = client_as("bob")
    before = _effect(bob, "dienbien-459-2023", BOB_UNIT)
    assert post_manual_value(bob, unit=BOB_UNIT, value="5", **fields).status_code == 302
    after = _effect(bob, "dienbien-459-2023", BOB_UNIT)
    assert {i["code"]: i["points"] for i in after["indicators"]}["ck_cs1"] == 5.0
    assert after["total"] == pytest.approx(before["total"] + 5)


def test_leader_reads_but_cannot_enter(client_as: Any, writable_data: Path) -> None:
    leader = client_as("leader")
    answer = post_manual_value(leader)
    assert answer.status_code == 403 and "chỉ xem" in page_text(answer)
    assert 'id="manual-form"' not in leader.get(MANUAL_PAGE).content.decode()
    assert stored_manual_values() == []


def test_unknown_index_set_is_refused(client_as: Any) -> None:
    answer = client_as("alice").get("/nhap-du-lieu/gia-tri-thu-cong.json?index_set=/etc/passwd")
    assert answer.status_code == 400
    assert "Không có bộ chỉ số" in answer.json()["error"]
