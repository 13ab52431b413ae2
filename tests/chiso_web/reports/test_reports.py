"""Report jobs end to end: request, worker, status page, downloads — and who may see them."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from chiso.reports.pdf import soffice
from chiso_web.audit.models import AuditEntry
from chiso_web.reports.models import ReportRequest, Status
from chiso_web.reports.worker import run_one
from web_cast import ALICE_UNIT, BOB_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db
ALICE_NAME = "Sín Thầu"


def _request(client: Client, **fields: Any) -> Any:
    form = {"unit": ALICE_UNIT, "period": "2026-09", "index_set": "dienbien-459-2023"}
    form.update(fields)
    form.setdefault("formats", ["docx", "xlsx"])
    return client.post("/bao-cao/", form)


def _job_id(answer: Any) -> int:
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return int(answer["Location"].rstrip("/").split("/")[-1])


def _text_of_docx(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _text_of_xlsx(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for v in row if v is not None]  # fmt: skip
    return "\n".join(cells)


def _download(client: Client, job: int, fmt: str) -> Any:
    answer = client.get(f"/bao-cao/{job}/{fmt}/")
    assert answer.status_code == 200, answer.content[:500]
    return answer


def test_alice_gets_her_communes_docx_and_xlsx(client_as: Any) -> None:
    alice = client_as("alice")
    job = _job_id(_request(alice))
    page = alice.get(f"/bao-cao/{job}/").content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 2s"' in page
    assert AuditEntry.objects.filter(action="report.request", unit_code=ALICE_UNIT).exists()

    done = run_one()
    assert done is not None and done.pk == job
    row = ReportRequest.objects.get(pk=job)
    assert row.status == Status.DONE, row.error
    assert row.attempts == 1 and row.started_at and row.finished_at
    status = alice.get(f"/bao-cao/{job}.json").json()["report"]
    assert status["status"] == "done"
    assert set(status["downloads"]) == {"docx", "xlsx"}

    docx = _download(alice, job, "docx")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in docx["Content-Disposition"]
    assert f"Báo cáo UBND xã {ALICE_NAME} 2026-09.docx" in unquote(docx["Content-Disposition"])
    assert ALICE_NAME in _text_of_docx(b"".join(docx.streaming_content))
    xlsx = _download(alice, job, "xlsx")
    assert ALICE_NAME in _text_of_xlsx(b"".join(xlsx.streaming_content))

    fragment = alice.get(f"/bao-cao/{job}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment  # polling stops once done
    assert f"/bao-cao/{job}/docx/" in fragment


def test_charlie_gets_404_for_alices_job_everywhere(client_as: Any) -> None:
    job = _job_id(_request(client_as("alice")))
    run_one()
    charlie = client_as("charlie")
    for url in (f"/bao-cao/{job}/", f"/bao-cao/{job}.json", f"/bao-cao/{job}/docx/",
                f"/bao-cao/{job}/xlsx/"):  # fmt: skip
        assert charlie.get(url).status_code == 404, url
    assert charlie.get(f"/bao-cao/{job}.json").json()["ok"] is False
    listed = charlie.get("/bao-cao/danh-sach.json").json()["reports"]
    assert job not in {r["id"] for r in listed}
    assert f"/bao-cao/{job}/" not in charlie.get("/bao-cao/").content.decode()


def test_bob_and_the_leader_see_alices_job_but_the_public_does_not(
    client_as: Any, client: Client
) -> None:
    job = _job_id(_request(client_as("alice")))
    run_one()
    for name in ("bob", "leader", "admin"):
        viewer = client_as(name)
        assert job in {r["id"] for r in viewer.get("/bao-cao/danh-sach.json").json()["reports"]}
        assert viewer.get(f"/bao-cao/{job}/docx/").status_code == 200, name
    assert client.get(f"/bao-cao/{job}.json").status_code == 403
    assert client.get(f"/bao-cao/{job}/docx/").status_code == 302  # to the sign-in page
    assert client_as("nobody").get(f"/bao-cao/{job}/docx/").status_code == 403


def test_alice_cannot_ask_for_charlies_commune_or_the_province(client_as: Any) -> None:
    alice = client_as("alice")
    for unit in (CHARLIE_UNIT, BOB_UNIT):
        answer = _request(alice, unit=unit)
        assert answer.status_code == 400
        assert f"Đơn vị “{unit}” không có trong danh sách" in answer.content.decode()
    assert not ReportRequest.objects.exists()


def test_the_form_offers_each_user_their_units_and_last_month(client_as: Any) -> None:
    page = client_as("alice").get("/bao-cao/").content.decode()
    assert f'<option value="{ALICE_UNIT}" selected>' in page
    assert f'value="{CHARLIE_UNIT}"' not in page
    assert 'value="2026-09"' in page  # the previous closed month on 29/10/2026
    bob = client_as("bob").get("/bao-cao/").content.decode()
    assert f'<option value="{BOB_UNIT}" selected>' in bob
    assert f'value="{ALICE_UNIT}"' in bob and f'value="{CHARLIE_UNIT}"' in bob


def test_bob_makes_the_province_report(client_as: Any) -> None:
    bob = client_as("bob")
    job = _job_id(_request(bob, unit=BOB_UNIT, formats=["xlsx"]))
    run_one()
    row = ReportRequest.objects.get(pk=job)
    assert row.status == Status.DONE, row.error
    assert set(row.outputs) == {"xlsx"}
    text = _text_of_xlsx(b"".join(_download(bob, job, "xlsx").streaming_content))
    assert ALICE_NAME in text and "Mường Nhé" in text
    assert bob.get(f"/bao-cao/{job}/docx/").status_code == 404  # not asked for


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("period", "2026-13", "Kỳ báo cáo “2026-13” không hợp lệ"),
        ("period", "2027-01", "Kỳ báo cáo “2027-01” chưa bắt đầu"),
        ("period", "live", "phải là một tháng, quý, 6 tháng hoặc năm"),
        ("index_set", "khong-co", "Không có bộ chỉ số “khong-co”"),
        ("formats", ["doc"], "Định dạng “doc” không được hỗ trợ"),
        ("formats", [], "Chọn ít nhất một định dạng"),
    ],
)
def test_bad_input_is_one_vietnamese_sentence_naming_the_field(
    client_as: Any, field: str, value: Any, expected: str
) -> None:
    answer = _request(client_as("alice"), **{field: value})
    assert answer.status_code == 400
    assert expected in answer.content.decode()
    assert not ReportRequest.objects.exists()


def test_a_period_without_data_ends_failed_with_a_reason(client_as: Any) -> None:
    alice = client_as("alice")
    job = _job_id(_request(alice, period="2019-01"))
    run_one()
    status = alice.get(f"/bao-cao/{job}.json").json()["report"]
    assert status["status"] == "failed"
    assert status["downloads"] == {}
    assert "chưa có hồ sơ nào" in status["error"] and "tháng 1 năm 2019" in status["error"]
    assert "Gợi ý:" in status["error"]
    assert alice.get(f"/bao-cao/{job}/docx/").status_code == 404
    assert status["error"] in alice.get(f"/bao-cao/{job}/").content.decode()


def test_a_bad_index_set_in_a_queued_row_fails_the_job_not_the_worker(cast: Any) -> None:
    ReportRequest.objects.create(
        requested_by=cast["alice"], unit_code=ALICE_UNIT, period="2026-09",
        index_set="khong-co", formats=["docx"],
    )  # fmt: skip
    job = run_one()
    assert job is not None and job.status == Status.FAILED
    assert "Không có bộ chỉ số “khong-co”" in job.error
    assert run_one() is None  # the queue is empty now


def test_the_same_pending_request_is_not_queued_twice(client_as: Any) -> None:
    alice = client_as("alice")
    first = _job_id(_request(alice))
    assert _job_id(_request(alice)) == first
    assert ReportRequest.objects.count() == 1


def test_pdf_without_libreoffice_still_gives_docx_and_a_note(client_as: Any) -> None:
    if soffice() is not None:
        pytest.skip("LibreOffice is installed: test_pdf_is_made covers this machine")
    alice = client_as("alice")
    job = _job_id(_request(alice, formats=["pdf", "xlsx"]))
    run_one()
    status = alice.get(f"/bao-cao/{job}.json").json()["report"]
    assert status["status"] == "done"
    assert set(status["downloads"]) == {"docx", "xlsx"}
    assert any("LibreOffice" in note for note in status["notes"])


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_is_made(client_as: Any) -> None:
    alice = client_as("alice")
    job = _job_id(_request(alice, formats=["pdf"]))
    run_one()
    answer = _download(alice, job, "pdf")
    assert b"".join(answer.streaming_content).startswith(b"%PDF")


def test_a_finished_job_is_made_again_on_request_and_only_by_who_sees_it(client_as: Any) -> None:
    alice = client_as("alice")
    job = _job_id(_request(alice, formats=["xlsx"]))
    assert client_as("charlie").post(f"/bao-cao/{job}/lam-lai/").status_code == 404
    assert alice.post(f"/bao-cao/{job}/lam-lai/")["Location"] == f"/bao-cao/{job}/"  # pending
    run_one()
    assert alice.get(f"/bao-cao/{job}/lam-lai/").status_code == 405
    again = _job_id(alice.post(f"/bao-cao/{job}/lam-lai/"))
    assert again != job
    row = ReportRequest.objects.get(pk=again)
    assert (row.unit_code, row.period, row.formats, row.status) == (
        ALICE_UNIT, "2026-09", ["xlsx"], Status.QUEUED)  # fmt: skip
    assert AuditEntry.objects.filter(action="report.request").count() == 2


def test_the_period_is_shown_in_words(client_as: Any) -> None:
    alice = client_as("alice")
    job = _job_id(_request(alice, period="2026-Q3"))
    assert "quý III năm 2026" in alice.get(f"/bao-cao/{job}/").content.decode()
    assert alice.get(f"/bao-cao/{job}.json").json()["report"]["period_label"] == "quý III năm 2026"


def test_the_letter_carries_the_number_date_and_signer_given(client_as: Any) -> None:
    alice = client_as("alice")
    letter = {"number": "17", "date": "31/10/2026", "signer_name": "Lò Văn Thử",
              "signer_title": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"}  # fmt: skip
    job = _job_id(_request(alice, formats=["docx"], **letter))
    assert ReportRequest.objects.get(pk=job).options["date"] == "2026-10-31"
    assert "ngày 31/10/2026 · người ký Lò Văn Thử" in alice.get(f"/bao-cao/{job}/").content.decode()
    run_one()
    text = _text_of_docx(b"".join(_download(alice, job, "docx").streaming_content))
    assert "Lò Văn Thử" in text and "CHỦ TỊCH" in text and "17" in text
    assert "31 tháng 10 năm 2026" in text
    assert "Số: 17/BC-UBND" in text
    bad = _request(alice, date="31/13/2026")
    assert bad.status_code == 400
    assert "Ngày ký không hợp lệ" in bad.content.decode()


def test_a_number_typed_with_its_symbol_is_printed_once(client_as: Any) -> None:
    alice = client_as("alice")
    job = _job_id(_request(alice, formats=["docx"], number="125/BC-UBND"))
    run_one()
    text = _text_of_docx(b"".join(_download(alice, job, "docx").streaming_content))
    assert "Số: 125/BC-UBND" in text and "BC-UBND/BC-UBND" not in text


def test_the_download_name_follows_the_sites_language() -> None:
    from django.utils import translation

    from chiso_web.reports.models import ReportRequest

    job = ReportRequest(unit_code="03158", unit_name="UBND xã Sín Thầu", period="2026-09")
    assert job.download_name("docx") == "Báo cáo UBND xã Sín Thầu 2026-09.docx"
    assert job.download_name("xlsx") == "Phụ lục báo cáo UBND xã Sín Thầu 2026-09.xlsx"
    with translation.override("en"):
        assert job.download_name("xlsx") == "Report annex UBND xã Sín Thầu 2026-09.xlsx"
