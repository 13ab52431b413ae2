"""The audit log page: administrators and leaders read it, officers may not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso_web.audit.models import AuditEntry
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db


def _act(client_as: Any) -> None:
    """alice enters a manual value and checks a report: two audited actions."""
    alice = client_as("alice")
    form = {
        "index_set": "vn-766-portal-2025",
        "indicator": "e_certified_copy",
        "unit": ALICE_UNIT,
        "period": "2026-10",
        "value": "2",
        "note": "Báo cáo số 7",
    }
    assert alice.post("/nhap-du-lieu/gia-tri-thu-cong/", form).status_code == 302
    seed = next((Path(__file__).parents[2] / "fixtures" / "seeds").glob("000_*.txt"))
    report = SimpleUploadedFile("bc.txt", seed.read_bytes())
    assert alice.post("/nhap-du-lieu/kiem-tra-bao-cao/", {"report": report}).status_code == 200


def test_leader_and_admin_see_the_entries_and_filter_by_action(
    client_as: Any, writable_data: Path
) -> None:
    _act(client_as)
    for name in ("leader", "admin"):
        doc = client_as(name).get("/nhat-ky.json").json()
        assert doc["count"] == 2
        assert {e["action"] for e in doc["entries"]} == {"manual_value", "check_report"}
        assert all(e["actor"] == "alice" for e in doc["entries"])
    only = client_as("leader").get("/nhat-ky.json?action=manual_value").json()
    assert [e["action"] for e in only["entries"]] == ["manual_value"]
    assert only["entries"][0]["unit_code"] == ALICE_UNIT
    page = client_as("admin").get("/nhat-ky/?action=check_report").content.decode()
    assert "Kiểm tra báo cáo" in page and "bc.txt" in page and "e_certified_copy" not in page


def test_officers_and_visitors_are_refused(client: Any, client_as: Any) -> None:
    for name in ("alice", "bob", "charlie", "nobody"):
        assert client_as(name).get("/nhat-ky/").status_code == 403
        answer = client_as(name).get("/nhat-ky.json")
        assert answer.status_code == 403 and answer.json()["ok"] is False
    assert client.get("/nhat-ky/").status_code == 302
    assert client.get("/nhat-ky.json").status_code == 403


def test_bad_page_number_is_explained(client_as: Any) -> None:
    answer = client_as("leader").get("/nhat-ky.json?page=abc")
    assert answer.status_code == 400 and "page" in answer.json()["error"]


def test_the_page_shows_vietnam_time_as_the_other_pages_do(client_as: Any) -> None:
    entry = AuditEntry.objects.create(actor="alice", action="publish", summary="Công bố 2026-10")
    AuditEntry.objects.filter(pk=entry.pk).update(at=datetime(2026, 11, 22, 18, 5, 9, tzinfo=UTC))
    page = client_as("admin").get("/nhat-ky/").content.decode()
    assert "<td>23/11/2026 01:05</td>" in page, page[page.find("<tbody>") :][:300]
    assert "2026-11-22" not in page
    doc = client_as("admin").get("/nhat-ky.json").json()
    assert doc["entries"][0]["at"] == "2026-11-22T18:05:09+00:00"  # the twin stays ISO 8601
