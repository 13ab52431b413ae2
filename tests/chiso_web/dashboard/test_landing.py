"""Each role lands where its work is; the administrator's overview; the officer's unit
(rank in its block, points lost by group); the ranking levels follow the blocks."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.test import Client

from chiso.domain.units import RANKING_BLOCKS
from chiso_web.dashboard.payloads import LEVELS
from chiso_web.dashboard.schemas import SCHEMAS
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.reports.models import ReportRequest, Status
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
PERIOD = "period=2026-10"


@pytest.mark.parametrize(
    ("who", "lands"),
    [
        ("admin", "/tong-quan/"),
        ("leader", "/xep-hang/"),
        ("alice", f"/don-vi/{ALICE_UNIT}/"),
        ("nobody", "/cong-khai/"),
    ],
)
def test_each_role_lands_where_its_work_is(client_as: Any, who: str, lands: str) -> None:
    assert client_as(who).get("/")["Location"] == lands


def test_signing_in_lands_by_role(client: Client, cast: dict[str, Any]) -> None:
    answer = client.post("/dang-nhap/", {"username": "alice", "password": "alice-pw-2026"})
    assert answer.status_code == 302
    assert client.get(answer["Location"])["Location"] == f"/don-vi/{ALICE_UNIT}/"


def test_the_overview_counts_classes_movers_units_without_data_and_what_waits(
    client_as: Any, cast: dict[str, Any]
) -> None:
    admin = client_as("admin")
    ImportRun.objects.create(
        key="cho-xac-nhan", user=cast["alice"], username="alice", table="dossiers",
        status=RunStatus.VALIDATED,
    )  # fmt: skip
    ImportRun.objects.create(key="da-nhap", username="alice", table="dossiers",
                             status=RunStatus.CONFIRMED)  # fmt: skip
    ReportRequest.objects.create(
        requested_by=cast["alice"], unit_code=ALICE_UNIT, unit_name="UBND xã Sín Thầu",
        period="2026-09", index_set="dienbien-459-2023", formats=["docx"], status=Status.QUEUED,
    )  # fmt: skip
    doc = admin.get(f"/tong-quan.json?{PERIOD}").json()
    jsonschema.validate(doc, SCHEMAS["overview"])
    ranking = admin.get(f"/xep-hang.json?{PERIOD}").json()
    assert doc["distribution"] == ranking["distribution"]
    assert doc["units"] == len(ranking["units"])
    assert doc["without_data"] == [
        {"unit_code": u["unit_code"], "name": u["name"]}
        for u in ranking["units"]
        if not u["has_data"]
    ]
    changes = sorted((u["change"] for u in ranking["units"] if u["change"]), reverse=True)
    assert [m["change"] for m in doc["movers"]["up"]] == [c for c in changes if c > 0][:5]
    assert [m["change"] for m in doc["movers"]["down"]] == sorted(c for c in changes if c < 0)[:5]
    assert doc["imports_waiting"]["count"] == 1
    assert doc["imports_waiting"]["runs"][0]["status_label"] == "Sẵn sàng xác nhận"
    assert doc["reports_waiting"]["count"] == 1
    assert [m["period"] for m in doc["unpublished"]] == ["2026-09", "2026-08", "2026-07"]
    page = admin.get(f"/tong-quan/?{PERIOD}").content.decode()
    for text in ("Xếp loại", "Thay đổi nhiều nhất", "Đơn vị chưa có dữ liệu", "Sẵn sàng xác nhận",
                 "UBND xã Sín Thầu, tháng 9/2026", "Tháng 9 năm 2026"):  # fmt: skip
        assert text in page, text
    admin.post("/cong-bo/2026-09/cong-bo/", {"index_set": "dienbien-459-2023", "note": ""})
    after = admin.get(f"/tong-quan.json?{PERIOD}").json()
    assert [m["period"] for m in after["unpublished"]] == ["2026-08", "2026-07"]


def test_officers_do_not_open_the_overview(client_as: Any) -> None:
    assert client_as("alice").get("/tong-quan/").status_code == 403
    assert client_as("leader").get("/tong-quan/").status_code == 200


def test_the_officers_unit_shows_its_rank_in_its_block_and_points_lost_by_group(
    client_as: Any,
) -> None:
    alice = client_as("alice")
    doc = alice.get(f"/don-vi/{ALICE_UNIT}.json?{PERIOD}").json()
    jsonschema.validate(doc, SCHEMAS["unit"])
    ranking = client_as("admin").get(f"/xep-hang.json?{PERIOD}").json()
    block = next(b for b in ranking["blocks"] if b["code"] == "xa")
    mine = next(u for u in block["units"] if u["unit_code"] == ALICE_UNIT)
    assert doc["block"]["rank"] == mine["rank"] and doc["block"]["label"] == "UBND xã, phường"
    assert doc["block"]["ranked"] == sum(1 for u in block["units"] if u["rank"] is not None)
    lost = [i for i in doc["unit"]["indicators"] if i["lost"]]
    assert sum(g["lost"] for g in doc["lost_by_group"]) == pytest.approx(
        sum(i["lost"] for i in lost)
    )
    assert [g["lost"] for g in doc["lost_by_group"]] == sorted(
        (g["lost"] for g in doc["lost_by_group"]), reverse=True
    )
    page = alice.get(f"/don-vi/{ALICE_UNIT}/?{PERIOD}").content.decode()
    assert "Hạng trong khối UBND xã, phường" in page and "Điểm bị mất theo nhóm" in page
    first = doc["lost_by_group"][0]["indicators"][0]
    assert f"/don-vi/{ALICE_UNIT}/chi-so/{first['code']}/" in page  # the dossiers behind it


def test_the_ranking_levels_hold_every_kind_of_their_block(client_as: Any) -> None:
    for block in RANKING_BLOCKS:
        assert block.level in LEVELS
    admin = client_as("admin")
    old = admin.get(f"/xep-hang.json?{PERIOD}&level=kind:so,trung_tam").json()
    assert old["level"] == "kind:so,phong,trung_tam"
    block = next(b for b in RANKING_BLOCKS if b.code == "co_quan")
    assert {u["kind"] for u in old["units"]} <= set(block.kinds)
    page = admin.get(f"/xep-hang/?{PERIOD}").content.decode()
    assert '<option value="kind:so,phong,trung_tam">Sở, ban, ngành</option>' in page
