"""Check a received report by upload: the seeded inconsistencies are found and logged."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso_web.audit.models import AuditEntry
from web_imports import CHECK_PAGE, report_seed

pytestmark = pytest.mark.django_db


def test_seed_000_row_6_total_and_converted_are_shown(client_as: Any) -> None:
    answer = client_as("alice").post(CHECK_PAGE, {"report": report_seed("000")})
    assert answer.status_code == 200
    labelled = html.unescape(answer.content.decode())
    assert '<td data-label="Loại kiểm tra">điểm quy đổi</td>' in labelled  # cards on a phone
    page = re.sub(r' data-label="[^"]*"', "", labelled)
    assert "<strong>2</strong> lỗi, <strong>5</strong> cảnh báo" in page
    summary = page.split('id="check-summary">')[1].split("<br>")[0]
    assert "dienbien-459-2023" not in summary and "half_up" not in summary
    assert "chữ số thập phân" in summary
    assert "kỳ tháng 11/2024 · đơn vị báo cáo UBND huyện Mường Ảng ·" in summary  # not "102"
    assert "Bộ chỉ số Bộ chỉ số" not in summary
    assert "dòng 69, STT 6 (UBND Thị trấn Mường Ảng), cột tổng điểm đạt được" in page
    assert "<td>78,5</td><td>78,57</td>" in page and "<td>98,12</td><td>98,21</td>" in page
    findings = page.split('id="findings"')[1].split("</table>")[0]
    assert "<td>Lỗi</td><td>điểm quy đổi</td>" in findings  # what was checked, not its code
    assert not re.search(r"<td>(total|converted|class|naming|maximum)</td>", findings)
    entry = AuditEntry.objects.get(action="check_report")
    assert entry.actor == "alice" and entry.details["errors"] == 2
    assert entry.period == "2024-11" and entry.details["file"] == "BC_000.txt"


def test_json_answer_has_the_checkers_fields(client_as: Any) -> None:
    answer = client_as("leader").post(CHECK_PAGE, {"report": report_seed("000"), "format": "json"})
    doc = answer.json()["check"]
    assert (doc["index_set"], doc["period"], doc["reporting_unit"]) == (
        "dienbien-459-2023",
        "2024-11",
        "102",
    )
    errors = [
        (f["kind"], f["printed"], f["correct"]) for f in doc["findings"] if f["level"] == "error"
    ]
    assert errors == [("total", "78,5", "78,57"), ("converted", "98,12", "98,21")]


def test_a_clean_report_has_no_error(client_as: Any) -> None:
    page = client_as("bob").post(CHECK_PAGE, {"report": report_seed("003")}).content.decode()
    assert "<strong>0</strong> lỗi" in page


def test_unreadable_upload_is_one_clear_sentence(client_as: Any) -> None:
    alice = client_as("alice")
    wrong = alice.post(CHECK_PAGE, {"report": SimpleUploadedFile("anh.jpg", b"\xff\xd8")})
    assert wrong.status_code == 400
    assert "Không đọc được tệp" in html.unescape(wrong.content.decode())
    empty = alice.post(
        CHECK_PAGE, {"report": SimpleUploadedFile("trong.txt", b"khong co bang diem")}
    )
    assert empty.status_code == 400 and "Gợi ý" in empty.content.decode()
    assert alice.post(CHECK_PAGE, {}).status_code == 400
    assert not AuditEntry.objects.filter(action="check_report").exists()


def test_only_staff_may_check(client: Any, client_as: Any) -> None:
    assert client.get(CHECK_PAGE).status_code == 302
    assert client_as("nobody").post(CHECK_PAGE, {"report": report_seed("000")}).status_code == 403


def test_the_period_is_picked_not_typed(client_as: Any) -> None:
    page = client_as("alice").get(CHECK_PAGE).content.decode()
    form = page.split('id="check-form"')[1].split("</form>")[0]
    assert 'placeholder="ví dụ' not in form and '<input name="period"' not in form
    picker = form.split('<select name="period">')[1].split("</select>")[0]
    assert picker.startswith('<option value="" selected>đọc từ báo cáo</option>')
    assert '<option value="2026-09">tháng 9/2026</option>' in picker
    assert '<option value="2026-Q3">quý III/2026</option>' in picker


def test_a_picked_period_is_used_and_a_typed_one_refused_in_vietnamese(client_as: Any) -> None:
    alice = client_as("alice")
    picked = alice.post(CHECK_PAGE, {"report": report_seed("000"), "period": "2024-11"})
    summary = html.unescape(picked.content.decode()).split('id="check-summary">')[1]
    assert "kỳ tháng 11/2024" in summary.split("<br>")[0]
    for typed in ("thang 10", "live", "2026-01-01..2026-02-15"):
        refused = alice.post(CHECK_PAGE, {"report": report_seed("000"), "period": typed})
        page = html.unescape(refused.content.decode())
        assert refused.status_code == 400, typed
        assert f"Kỳ “{typed}” không phải là một tháng, một quý, 6 tháng hay một năm." in page
        assert "hãy chọn kỳ trong danh sách, hoặc để trống để đọc kỳ từ báo cáo" in page
        assert not AuditEntry.objects.filter(action="check_report", period=typed).exists()


def test_the_result_names_the_file_as_the_officer_named_it(client_as: Any) -> None:
    """Not "Báo_cáo_xã_tháng_10.txt": the spaces kept (the temporary copy's name is not
    shown), and a long name wraps on a phone instead of widening the page."""
    seed = report_seed("000")
    named = SimpleUploadedFile("Báo cáo xã tháng 10.txt", seed.read())
    page = html.unescape(client_as("alice").post(CHECK_PAGE, {"report": named}).content.decode())
    assert '<h2 class="file-title">Kết quả: Báo cáo xã tháng 10.txt</h2>' in page
