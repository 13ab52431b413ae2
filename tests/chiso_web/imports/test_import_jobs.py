"""An upload is a tracked job: queued by the request, checked and imported by the worker,
followed by htmx polling; confirmed once, cancellable, invisible to other units."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from chiso.ingest import importer
from chiso_web.audit.models import AuditEntry
from chiso_web.imports.jobs import MAX_ATTEMPTS, STALE_AFTER, requeue_stale, run_one
from chiso_web.imports.models import ImportRun
from chiso_web.units.models import Membership
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_imports import export, queue, stored_codes, work

pytestmark = pytest.mark.django_db
PAGE = "/nhap-du-lieu/"


def poll(client: Any, run: ImportRun) -> str:
    """The status block as htmx fetches it."""
    answer = client.get(f"{PAGE}lan/{run.pk}/", headers={"HX-Request": "true"})
    assert answer.status_code == 200
    return str(answer.content.decode())


def test_an_upload_is_queued_checked_by_the_worker_then_imported_by_it(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    run = queue(alice, export(writable_data, [ALICE_UNIT, ALICE_UNIT]))
    assert run.status == "queued" and run.rows == 0
    page = alice.get(f"{PAGE}lan/{run.pk}/").content.decode()
    assert "Chờ xử lý" in page and 'hx-trigger="every 2s"' in page
    assert 'id="confirm"' not in page and 'id="cancel"' in page  # may cancel while queued
    assert "<script" not in poll(alice, run)  # the CSP forbids inline scripts
    assert alice.get(f"{PAGE}lan/{run.pk}.json").json()["run"]["pending"] is True

    assert run_one() is not None
    run.refresh_from_db()
    assert run.status == "validated" and run.rows == 2 and run.started_at is not None
    fragment = poll(alice, run)
    assert "hx-trigger" not in fragment  # polling stops once the worker is done
    assert "Sẵn sàng xác nhận" in fragment and 'id="diff-new">2<' in fragment
    assert 'id="confirm"' in fragment
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == set()

    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 302
    run.refresh_from_db()
    assert run.status == "confirming" and run.confirmed_by is not None
    assert "Chờ nhập" in poll(alice, run) and "hx-trigger" in poll(alice, run)
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == set()  # not before the worker
    assert run_one() is not None
    run.refresh_from_db()
    assert run.status == "confirmed" and run.finished_at is not None
    assert "Đã nhập" in poll(alice, run)
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == {"WEB-0001", "WEB-0002"}
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == "alice" and entry.details["diff"]["new"] == 2
    assert run_one() is None


def test_a_file_that_is_not_an_export_ends_in_error_with_a_vietnamese_sentence(
    client_as: Any, writable_data: Path, settings: Any
) -> None:
    alice = client_as("alice")
    run = queue(alice, b"%PDF-1.4 not a workbook", name="xuat.xlsx")
    work()
    run.refresh_from_db()
    assert run.status == "rejected" and run.get_status_display() == "Lỗi trong tệp"
    assert run.message.startswith("Không đọc được tệp, chưa nhập dòng nào.")
    assert "xuat.xlsx" in run.message and str(settings.HOME) not in run.message
    assert run.hint and run.finished_at is not None
    fragment = poll(alice, run)
    assert 'role="alert"' in fragment and "Không đọc được tệp" in fragment
    assert 'id="confirm"' not in fragment and 'id="cancel"' not in fragment
    assert not (Path(settings.HOME) / "uploads" / run.key).exists()
    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 400


def test_a_queued_run_can_be_cancelled_and_the_worker_skips_it(
    client_as: Any, writable_data: Path, settings: Any
) -> None:
    alice = client_as("alice")
    run = queue(alice, export(writable_data, [ALICE_UNIT]))
    assert alice.post(f"{PAGE}lan/{run.pk}/huy/").status_code == 302
    assert run_one() is None
    run.refresh_from_db()
    assert run.status == "cancelled" and run.rows == 0
    assert not (Path(settings.HOME) / "uploads" / run.key).exists()
    assert AuditEntry.objects.get(action="import_cancel").actor == "alice"
    assert alice.post(f"{PAGE}lan/{run.pk}/huy/").status_code == 400


def test_confirm_imports_once_and_a_second_confirm_is_refused_while_it_waits(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    run = queue(alice, export(writable_data, [ALICE_UNIT]))
    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 400  # not checked yet
    work()
    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 302
    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 400  # still queued
    assert alice.post(f"{PAGE}lan/{run.pk}/huy/").status_code == 400
    assert work() == 1
    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 400
    assert work() == 0
    run.refresh_from_db()
    assert run.status == "confirmed"
    assert AuditEntry.objects.filter(action="import").count() == 1
    assert stored_codes(writable_data, ["WEB-0001"]) == {"WEB-0001"}


def test_another_units_officer_can_neither_see_nor_confirm_nor_cancel_the_job(
    client_as: Any, writable_data: Path
) -> None:
    alice, charlie = client_as("alice"), client_as("charlie")
    run = queue(alice, export(writable_data, [ALICE_UNIT]))
    for when in ("queued", "validated"):
        assert charlie.get(f"{PAGE}lan/{run.pk}/").status_code == 404, when
        assert charlie.get(f"{PAGE}lan/{run.pk}.json").status_code == 404, when
        hx = charlie.get(f"{PAGE}lan/{run.pk}/", headers={"HX-Request": "true"})
        assert hx.status_code == 404, when
        assert charlie.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 404, when
        assert charlie.post(f"{PAGE}lan/{run.pk}/huy/").status_code == 404, when
        work()
    run.refresh_from_db()
    assert run.status == "validated" and run.confirmed_by is None
    assert stored_codes(writable_data, ["WEB-0001"]) == set()


def test_the_worker_checks_with_the_access_the_uploader_has_now(
    client_as: Any, cast: dict[str, Any], writable_data: Path, settings: Any
) -> None:
    run = queue(client_as("alice"), export(writable_data, [ALICE_UNIT]))
    Membership.objects.filter(user=cast["alice"]).delete()
    work()
    run.refresh_from_db()
    assert run.status == "rejected" and "không còn quyền nhập" in run.message
    assert not (Path(settings.HOME) / "uploads" / run.key).exists()


def test_a_run_stuck_in_a_step_is_queued_again_then_failed(
    client_as: Any, writable_data: Path, settings: Any
) -> None:
    run = queue(client_as("alice"), export(writable_data, [ALICE_UNIT]))
    ImportRun.objects.filter(pk=run.pk).update(status="checking", started_at=timezone.now())
    later = timezone.now() + STALE_AFTER + timedelta(seconds=1)
    assert requeue_stale(now=later) == 1
    run.refresh_from_db()
    assert run.status == "queued"
    ImportRun.objects.filter(pk=run.pk).update(
        status="importing", started_at=timezone.now(), attempts=MAX_ATTEMPTS
    )
    assert requeue_stale(now=later) == 1
    run.refresh_from_db()
    assert run.status == "failed" and f"sau {MAX_ATTEMPTS} lần chạy" in run.message
    assert not (Path(settings.HOME) / "uploads" / run.key).exists()


def test_the_worker_command_checks_a_queued_upload(client_as: Any, writable_data: Path) -> None:
    run = queue(client_as("alice"), export(writable_data, [ALICE_UNIT]))
    out = io.StringIO()
    call_command("worker", once=True, stdout=out)
    assert out.getvalue() == f"lần nhập #{run.pk} xuat.csv: Sẵn sàng xác nhận\n"
    call_command("worker", once=True, stdout=out)
    assert "Không có yêu cầu báo cáo hay lần nhập dữ liệu nào đang chờ." in out.getvalue()
    run.refresh_from_db()
    assert run.status == "validated"


def test_the_worker_reads_an_upload_once_to_check_it_and_once_to_import_it(
    client_as: Any, writable_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real = importer.open_rows

    def counted(path: Path) -> Any:
        opened.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(importer, "open_rows", counted)
    alice = client_as("alice")
    run = queue(alice, export(writable_data, [ALICE_UNIT, ALICE_UNIT]))
    work()
    run.refresh_from_db()
    assert (run.status, run.unit_codes, opened) == ("validated", [ALICE_UNIT], ["xuat.csv"])
    assert alice.post(f"{PAGE}lan/{run.pk}/xac-nhan/").status_code == 302
    work()
    run.refresh_from_db()
    assert run.status == "confirmed" and opened == ["xuat.csv", "xuat.csv"]


def test_the_scope_check_names_the_file_and_row_of_the_first_foreign_record(
    client_as: Any, writable_data: Path
) -> None:
    files = [
        SimpleUploadedFile("a.csv", export(writable_data, [ALICE_UNIT])),
        SimpleUploadedFile("b.csv", export(writable_data, [ALICE_UNIT, CHARLIE_UNIT])),
    ]
    client_as("alice").post(PAGE, {"table": "dossiers", "files": files})
    work()
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert run.message.startswith("b.csv, dòng 3: hồ sơ WEB-0002 thuộc ")
    assert run.message.endswith(f"({CHARLIE_UNIT}), ngoài phạm vi đơn vị của bạn.")


def test_a_rating_of_an_unknown_dossier_is_outside_an_officers_scope(
    client_as: Any, writable_data: Path
) -> None:
    ratings = "dossier_code,rated_at,channel,satisfied\nKHONG-CO-1,20/10/2026 09:00,kiosk,1\n"
    content = SimpleUploadedFile("b.csv", ratings.encode())
    client_as("alice").post(PAGE, {"table": "ratings", "files": content})
    work()
    run = ImportRun.objects.get()
    assert (run.status, run.message) == (
        "rejected",
        "b.csv, dòng 2: hồ sơ KHONG-CO-1 không có trong dữ liệu nên không xác định được đơn vị; "
        "chỉ quản trị cấp tỉnh được nhập đánh giá này.",
    )
