"""The public page citizens use: ranking in blocks, "Tìm xã của tôi", how the index is
computed, open data (CSV and JSON of every published snapshot); the demo publishes."""

from __future__ import annotations

import csv
import io
from typing import Any

import jsonschema
import pytest
from django.test import Client

from chiso_web.audit.models import AuditEntry
from chiso_web.public.schemas import SCHEMAS
from chiso_web.publications.demo import publish_demo_months
from chiso_web.publications.models import Publication
from chiso_web.units.demo import ensure_demo_accounts
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
INDEX_SET = "dienbien-459-2023"


@pytest.fixture
def published(client_as: Any) -> Client:
    """August and September 2026 published as the administrator, September twice."""
    admin = client_as("admin")
    for period, note in (("2026-08", ""), ("2026-09", ""), ("2026-09", "bổ sung hồ sơ muộn")):
        answer = admin.post(f"/cong-bo/{period}/cong-bo/", {"index_set": INDEX_SET, "note": note})
        assert answer.status_code == 302
    return admin


def test_the_public_ranking_has_the_blocks_of_the_signed_in_ranking(
    published: Client, client: Client
) -> None:
    doc = client.get("/cong-khai/xep-hang.json").json()
    jsonschema.validate(doc, SCHEMAS["ranking"])
    staff = published.get("/xep-hang.json?period=2026-09").json()
    assert [b["code"] for b in doc["blocks"]] == [b["code"] for b in staff["blocks"]]
    for public_block, staff_block in zip(doc["blocks"], staff["blocks"], strict=True):
        ranks = {u["unit_code"]: (u["rank"], u["tied"]) for u in staff_block["units"]}
        assert {u["unit_code"]: (u["rank"], u["tied"]) for u in public_block["units"]} == ranks
    page = client.get("/cong-khai/").content.decode()
    assert "1. Cơ quan chuyên môn thuộc UBND tỉnh" in page and "2. UBND xã, phường" in page
    assert 'id="public-ranking-xa"' in page


@pytest.mark.parametrize("typed", ["Sín Thầu", "sin thau", "XÃ SÍN THẦU"])
def test_my_commune_is_found_with_or_without_diacritics(
    published: Client, client: Client, typed: str
) -> None:
    answer = client.get("/cong-khai/tim/", {"q": typed})
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"/cong-khai/don-vi/{ALICE_UNIT}/?")
    assert client.get(answer["Location"]).status_code == 200


def test_several_matches_are_listed_and_none_is_said(published: Client, client: Client) -> None:
    page = client.get("/cong-khai/tim/", {"q": "muong"}).content.decode()
    assert "đơn vị có tên chứa “muong”" in page and "UBND xã Mường Nhé" in page
    page = client.get("/cong-khai/tim/", {"q": "không có xã này"}).content.decode()
    assert "Không tìm thấy đơn vị nào" in page


def test_the_explanation_names_the_groups_their_maximum_and_the_classes(client: Client) -> None:
    page = client.get("/cong-khai/cach-tinh/").content.decode()
    expected = (
        *("Cách tính điểm", "điểm quy đổi</strong> = tổng điểm ÷ điểm tối đa × 100"),
        *("Tiến độ, kết quả giải quyết", "Xuất sắc (từ 90 điểm)", "Chưa có dữ liệu"),
    )
    for text in expected:
        assert text in page, text


def test_every_published_snapshot_downloads_as_csv_and_json(
    published: Client, client: Client
) -> None:
    doc = client.get("/cong-khai/du-lieu.json").json()
    jsonschema.validate(doc, SCHEMAS["catalogue"])
    assert "CC BY 4.0" in doc["licence"]
    snapshots = [(s["period"], s["version"]) for s in doc["snapshots"]]
    assert snapshots == [("2026-09", 2), ("2026-09", 1), ("2026-08", 1)]
    for snap in doc["snapshots"]:
        twin = client.get(snap["json"]).json()
        assert (twin["period"], twin["version"]) == (snap["period"], snap["version"])
        answer = client.get(snap["csv"])
        assert answer["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
        assert [r["Mã đơn vị"] for r in rows] == [u["unit_code"] for u in twin["units"]]
        for row, unit in zip(rows, twin["units"], strict=True):
            expected = "" if unit["converted"] is None else unit["converted"]
            assert (float(row["Điểm quy đổi"]) if row["Điểm quy đổi"] else "") == expected
            assert row["Hạng chung"] == ("" if unit["rank"] is None else str(unit["rank"]))
    page = client.get("/cong-khai/du-lieu/").content.decode()
    assert "Giấy phép" in page and "Hạng trong khối" in page and "(đã có phiên bản mới)" in page
    missing = f"/cong-khai/du-lieu/{INDEX_SET}/2026-07/phien-ban-1.csv"
    assert client.get(missing).status_code == 404


def test_the_demo_publishes_its_closed_months_once_as_the_administrator() -> None:
    ensure_demo_accounts()
    assert publish_demo_months(("2026-08", "2026-09")) == ["tháng 8 năm 2026", "tháng 9 năm 2026"]
    assert publish_demo_months(("2026-08", "2026-09")) == []  # restarted: nothing new
    rows = Publication.objects.order_by("period")
    assert [(p.period, p.version, p.published_by_name) for p in rows] == [
        ("2026-08", 1, "quantri"),
        ("2026-09", 1, "quantri"),
    ]
    assert AuditEntry.objects.filter(action="publish", actor="quantri").count() == 2
    assert "Chưa có kết quả nào được công bố" not in Client().get("/cong-khai/").content.decode()
