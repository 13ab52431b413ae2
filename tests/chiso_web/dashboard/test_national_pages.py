"""The pages "Toàn quốc" and "Đối chiếu với Cổng DVC quốc gia", their JSON and Excel."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from web_cast import ALICE_UNIT
from web_portal import PORTAL_PERIOD, PORTAL_UNITS, import_portal_capture

Client = Callable[[str], Any]


@pytest.fixture
def captured(writable_data: Path, tmp_path: Path) -> Path:
    import_portal_capture(writable_data, tmp_path / "portal")
    return writable_data


@pytest.mark.parametrize("who", ["admin", "leader"])
def test_the_province_sees_the_national_ranking(
    captured: Path, client_as: Client, who: str
) -> None:
    client = client_as(who)
    page = client.get(f"/toan-quoc/?period={PORTAL_PERIOD}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Toàn quốc" in text and "UBND tỉnh Điện Biên" in text
    assert "Lấy từ Cổng lúc" in text and "01/10/2026 02:00" in text
    doc = client.get(f"/toan-quoc.json?period={PORTAL_PERIOD}").json()
    row = doc["provinces"][0]
    assert row["unit_code"] == "11" and row["rank"] == 1 and row["ours_total"] is not None
    assert abs(row["ours_total"] - row["portal_total"]) < 0.05  # written from our own scores


def test_the_reconciliation_names_the_gap_and_its_cause(captured: Path, client_as: Client) -> None:
    client = client_as("admin")
    page = client.get(f"/doi-chieu/?period={PORTAL_PERIOD}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đối chiếu với Cổng DVC quốc gia" in text and "Nguyên nhân có thể" in text
    assert "thiếu điểm nhập tay" in text and "Số hóa hồ sơ" in text
    assert "publish_on_time" not in text and "chưa nhập điểm: “" in text
    doc = client.get(f"/doi-chieu.json?period={PORTAL_PERIOD}").json()
    lines = {(r["unit_code"], r["group"]): r for r in doc["rows"]}
    assert {u for u, _ in lines} == set(PORTAL_UNITS)
    gap = lines[(ALICE_UNIT, "mdsh")]
    assert gap["status"] == "differs" and gap["cause"] == "thiếu điểm nhập tay"
    assert gap["difference"] == pytest.approx(0.5, abs=0.006)
    book = client.get(f"/doi-chieu.xlsx?period={PORTAL_PERIOD}")
    assert book["Content-Disposition"] == 'attachment; filename="doi-chieu-cong-dvc.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(cells) == 1 + len(doc["rows"])
    assert ["lệch", "thiếu điểm nhập tay"] in [r[5:7] for r in cells]


def test_a_period_without_capture_says_what_to_import(client_as: Client) -> None:
    page = client_as("leader").get("/doi-chieu/?period=2026-08")
    assert page.status_code == 200
    assert "Chưa có điểm lấy từ Cổng DVC quốc gia cho tháng 8 năm 2026" in page.content.decode()
    assert client_as("admin").get("/toan-quoc.json?period=2026-08").json()["provinces"] == []


@pytest.mark.parametrize("path", ["/toan-quoc/", "/doi-chieu/", "/doi-chieu.xlsx"])
def test_officers_are_refused(client_as: Client, path: str) -> None:
    assert client_as("alice").get(path).status_code == 403
