"""Pages name things in Vietnamese (issue #15): labels, not codes; dd/mm/yyyy, "tháng 9/2026";
a period is picked, not typed.  JSON twins keep the codes, with the labels beside them."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client

from chiso_web.audit.log import record
from web_cast import ALICE_UNIT, BOB_UNIT

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
VN_TIME = re.compile(r"\b\d\d/\d\d/20\d\d \d\d:\d\d\b")
#: The codes of the demo's index set and its enums that used to reach the screens.
CODES = ("dienbien-459-2023", "vn-766", "cong_khai", "ck_cs1", "dvtt_cs2", "hai_long", "so_hoa")


def visible(answer: Any) -> str:
    """The text a person reads: no scripts, styles, tags or attributes."""
    text = answer.content.decode()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def assert_no_codes(text: str, *extra: str) -> None:
    for code in (*CODES, *extra):
        assert code not in text, code


def test_ranking_names_the_index_set_and_the_previous_month(client_as: Any) -> None:
    answer = client_as("admin").get("/xep-hang/?period=2026-09")
    text = visible(answer)
    assert "Bộ chỉ số Điện Biên (QĐ 459/2023)" in text
    assert "So với tháng 8/2026" in text
    assert re.search(r"số liệu đến \d\d/\d\d/2026 \d\d:\d\d ·", text)
    assert_no_codes(text, "2026-08", "2026-09")
    assert not ISO_DATE.search(text)
    page = answer.content.decode()
    assert '<select name="period">' in page and 'name="period" value=' not in page
    assert '<option value="2026-09" selected>tháng 9/2026</option>' in page
    assert '<option value="2026-Q3">quý III/2026</option>' in page
    assert '<option value="2026-H1">6 tháng đầu năm 2026</option>' in page
    assert "2026-11" not in page  # the picker offers periods that have begun
    twin = client_as("admin").get("/xep-hang.json?period=2026-09").json()
    assert twin["index_set"] == "dienbien-459-2023" and twin["previous_period"] == "2026-08"
    assert twin["groups"][0] == {
        "code": "cong_khai",
        "label": "Công khai, minh bạch",
        "short_label": "Công khai",
        "max": 20.0,
    }


def test_the_unit_page_shows_labels_and_short_labels_for_the_radar(client_as: Any) -> None:
    answer = client_as("admin").get(f"/don-vi/{ALICE_UNIT}/?period=2026-09")
    text = visible(answer)
    assert_no_codes(text, "tien_do", "UNK", "(manual)", "2026-09")
    assert "Cung cấp dịch vụ trực tuyến" in text and "Bộ chỉ số Điện Biên" in text
    province = visible(client_as("admin").get(f"/don-vi/{BOB_UNIT}/?period=2026-09"))
    assert "(nhập tay)" in province and "(manual)" not in province
    found = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>',
                      answer.content.decode(), re.S)  # fmt: skip
    assert found is not None
    doc = json.loads(found.group(1))
    radar = [g["short_label"] for g in doc["groups"]]
    assert radar == ["Công khai", "Tiến độ", "Trực tuyến", "Số hóa", "Hài lòng"]
    assert doc["trend"][8] | {"period": "2026-09"} == doc["trend"][8]
    assert doc["trend"][8]["shown"] == "tháng 9/2026"


def test_a_bad_period_keeps_the_filters_and_offers_a_picker(client_as: Any) -> None:
    answer = client_as("admin").get("/xep-hang/?period=thang+10&level=kind:xa,phuong")
    assert answer.status_code == 400
    text = visible(answer)
    assert "'thang 10' không phải là kỳ báo cáo" in text
    assert "chọn tháng, quý, 6 tháng hoặc năm trong danh sách" in text
    assert "is not a period" not in text and "write one of" not in text
    page = answer.content.decode()
    assert '<input type="hidden" name="level" value="kind:xa,phuong">' in page
    assert '<select name="period">' in page
    json_answer = client_as("admin").get("/xep-hang.json?period=thang+10")
    assert json_answer.status_code == 400 and "2024-Q4" in json_answer.json()["hint"]


def test_the_drill_down_heads_its_columns_as_the_export_does(client_as: Any) -> None:
    answer = client_as("admin").get(f"/don-vi/{ALICE_UNIT}/chi-so/tien_do/?period=2026-09")
    assert answer.status_code == 200
    text = visible(answer)
    for header in ("Mã hồ sơ", "Ngày tiếp nhận", "Ngày hẹn trả", "Số lần bổ sung"):
        assert header in text
    for code in ("dossier_code", "received_at", "due_at", "finished_at", "supplement_count"):
        assert code not in text
    assert VN_TIME.search(text) and not ISO_DATE.search(text)
    twin = client_as("admin").get(f"/don-vi/{ALICE_UNIT}/chi-so/tien_do.json?period=2026-09")
    doc = twin.json()
    assert doc["column_labels"]["received_at"] == "Ngày tiếp nhận"
    assert "received_at" in doc["costing_points"][0]


def test_the_due_list_names_the_channel_and_writes_vietnamese_times(client_as: Any) -> None:
    admin = client_as("admin")
    doc = admin.get("/sap-qua-han.json?days=10").json()
    assert doc["dossiers"], "the web data has dossiers due soon"
    channels = {d["channel"] for d in doc["dossiers"]}
    assert channels <= {"online", "direct", "postal"}
    labels = {d["channel_label"] for d in doc["dossiers"]}
    text = visible(admin.get("/sap-qua-han/?days=10"))
    for label in labels:
        assert label in text
    assert labels <= {"Trực tuyến", "Trực tiếp", "Bưu chính công ích"}
    assert not re.search(r"\b(online|direct)\b", text)
    assert VN_TIME.search(text) and not ISO_DATE.search(text)
    assert "Hình thức nộp" in text


def test_manual_values_name_indicators_and_unit_kinds(client_as: Any) -> None:
    answer = client_as("admin").get("/nhap-du-lieu/gia-tri-thu-cong/?index_set=dienbien-459-2023")
    text = visible(answer)
    assert "Công khai, minh bạch — Chỉ số 1" in text
    assert "Tỉnh" in text and "Áp dụng cho" in text
    assert_no_codes(text, " tinh ", "UNK", "chưa rõ nội dung")
    assert '<select name="period">' in answer.content.decode()


def test_a_manual_value_reads_back_with_its_label_and_period(
    client_as: Any, writable_data: Any
) -> None:
    alice = client_as("alice")
    form = {
        "index_set": "vn-766-portal-2025",
        "indicator": "publish_on_time",
        "unit": ALICE_UNIT,
        "period": "2026-10",
        "value": "5",
        "note": "Công văn 12/UBND ngày 20/10/2026",
    }
    assert alice.post("/nhap-du-lieu/gia-tri-thu-cong/", form).status_code == 302
    query = f"?index_set=vn-766-portal-2025&unit={ALICE_UNIT}&period=2026-10"
    text = visible(alice.get(f"/nhap-du-lieu/gia-tri-thu-cong/{query}"))
    assert "TTHC công bố đúng hạn" in text and "tháng 10/2026" in text
    assert_no_codes(text, "publish_on_time", "2026-10 ")
    assert VN_TIME.search(text) and not ISO_DATE.search(text.replace("20/10/2026", ""))


def test_the_audit_log_names_every_action(client_as: Any) -> None:
    for action in ("lock", "unlock", "api.push", "api.token", "report.request"):
        record(None, action, "thao tác thử", period="2026-09")
    admin = client_as("admin")
    text = visible(admin.get("/nhat-ky/"))
    for label in ("Khóa số liệu kỳ", "Mở khóa số liệu kỳ", "Nhận hồ sơ qua API",
                  "Cấp, thu hồi mã truy cập API", "Yêu cầu tạo báo cáo"):  # fmt: skip
        assert label in text
    assert "tháng 9/2026" in text
    assert not re.search(r"\b(lock|unlock|api\.push|api\.token|report\.request|2026-09)\b", text)
    entry = admin.get("/nhat-ky.json?action=api.push").json()["entries"][0]
    assert entry["action"] == "api.push" and entry["action_label"] == "Nhận hồ sơ qua API"


def test_the_public_unit_page_shows_no_codes(client_as: Any, client: Client) -> None:
    admin = client_as("admin")
    answer = admin.post("/cong-bo/2026-09/cong-bo/", {"index_set": "dienbien-459-2023"})
    assert answer.status_code == 302
    text = visible(client.get(f"/cong-khai/don-vi/{ALICE_UNIT}/"))
    assert "Công khai, minh bạch" in text and "Mức độ hài lòng" in text
    assert_no_codes(text, "tien_do", "hailong_cs1")


def test_the_report_form_takes_the_signing_date_as_dd_mm_yyyy(client_as: Any) -> None:
    page = client_as("alice").get("/bao-cao/").content.decode()
    field = re.search(r"<input[^>]*name=\"date\"[^>]*>", page)
    assert field is not None
    assert 'type="text"' in field.group(0) and 'placeholder="31/10/2026"' in field.group(0)
    assert '<select name="period">' in page


def test_the_running_month_s_publication_page_writes_its_data_time_as_dd_mm_yyyy(
    client_as: Any,
) -> None:
    text = visible(client_as("admin").get("/cong-bo/2026-10/"))
    assert re.search(r"số liệu đến \d\d/\d\d/2026 \d\d:\d\d\)", text), text[:600]
    assert not ISO_DATE.search(text)


@pytest.mark.parametrize("path", ["/danh-gia/", "/bat-thuong/"])
def test_ratings_and_unusual_data_pick_their_period_from_a_list(client_as: Any, path: str) -> None:
    """Not a box where the officer types "2026-10"."""
    page = client_as("admin").get(f"{path}?period=2026-09").content.decode()
    assert '<select name="period">' in page and 'name="period" value=' not in page
    assert '<option value="2026-09" selected>tháng 9/2026</option>' in page
    assert "2026-09" not in visible(client_as("admin").get(f"{path}?period=2026-09"))
    quarter = client_as("admin").get(f"{path}?period=2026-Q3")
    assert quarter.status_code == 200 and "quý III" in visible(quarter)


def test_the_report_form_lists_units_by_name_without_their_codes(client_as: Any) -> None:
    page = client_as("admin").get("/bao-cao/").content.decode()
    units = re.search(r'<select name="unit"[^>]*>(.*?)</select>', page, re.S)
    assert units is not None
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', units.group(1))
    assert len(options) > 10
    assert not [(code, text) for code, text in options if code in text], options[:3]
    assert ("so-tu-phap", "Sở Tư pháp") in options
