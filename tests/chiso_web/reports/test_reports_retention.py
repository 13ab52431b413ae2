"""Report retention: old jobs' files are deleted, done jobs kept as expired (downloads 410),
failed jobs kept as failed with their error."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from chiso_web.reports import retention
from chiso_web.reports.generate import job_folder
from chiso_web.reports.models import ReportRequest, Status
from chiso_web.reports.worker import run_one
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db


def made(user: Any, *, days_ago: float, status: str = Status.DONE) -> ReportRequest:
    """A finished job ``days_ago`` days old, with its files on disk."""
    job = ReportRequest.objects.create(
        requested_by=user, unit_code=ALICE_UNIT, unit_name="UBND xã Sín Thầu",
        period="2026-09", index_set="dienbien-459-2023", formats=["docx"], status=status,
    )  # fmt: skip
    folder = job_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bao-cao.docx").write_bytes(b"PK docx")
    home = folder.parents[1]
    outputs = {"docx": str((folder / "bao-cao.docx").relative_to(home))}
    finished = timezone.now() - timedelta(days=days_ago)
    ReportRequest.objects.filter(pk=job.pk).update(outputs=outputs, finished_at=finished)
    job.refresh_from_db()
    return job


def test_only_files_of_jobs_older_than_the_setting_are_deleted(cast: Any) -> None:
    old = made(cast["alice"], days_ago=31)
    recent = made(cast["alice"], days_ago=29)
    recent_failure = made(cast["alice"], days_ago=29, status=Status.FAILED)

    assert retention.expire_old_reports() == 1

    for job in (old, recent, recent_failure):
        job.refresh_from_db()
    assert old.status == Status.EXPIRED and not job_folder(old).exists()
    assert recent.status == Status.DONE and recent.output_path("docx") is not None
    assert recent_failure.status == Status.FAILED and job_folder(recent_failure).exists()
    assert retention.expire_old_reports() == 0  # nothing left to do


def test_a_failed_jobs_leftover_files_are_deleted_after_the_period_and_its_row_kept(
    cast: Any,
) -> None:
    failed = made(cast["alice"], days_ago=40, status=Status.FAILED)
    error = "Không tạo được báo cáo: không có hồ sơ nào trong kỳ."
    ReportRequest.objects.filter(pk=failed.pk).update(error=error)

    assert retention.expire_old_reports() == 1

    failed.refresh_from_db()
    assert not job_folder(failed).exists()
    assert (failed.status, failed.error) == (Status.FAILED, error)
    assert retention.expire_old_reports() == 0  # a failed job without files is not counted


def test_a_report_made_by_the_worker_expires_with_its_files(cast: Any, settings: Any) -> None:
    settings.CHISO = {**settings.CHISO, "CHISO_REPORT_DAYS": 3}
    job = ReportRequest.objects.create(
        requested_by=cast["alice"], unit_code=ALICE_UNIT, unit_name="UBND xã Sín Thầu",
        period="2026-09", index_set="dienbien-459-2023", formats=["docx", "xlsx"],
    )  # fmt: skip
    assert run_one() is not None
    job.refresh_from_db()
    assert job.status == Status.DONE, job.error
    written = [job.output_path(f) for f in ("docx", "xlsx")]
    assert all(p is not None and p.is_file() for p in written)

    assert retention.expire_old_reports(timezone.now() + timedelta(days=2)) == 0
    assert retention.expire_old_reports(timezone.now() + timedelta(days=4)) == 1
    assert not [p for p in written if p is not None and Path(p).exists()]


def test_an_expired_download_answers_410_and_the_page_offers_a_new_one(
    cast: Any, client_as: Any
) -> None:
    job = made(cast["alice"], days_ago=45)
    retention.expire_old_reports()
    alice = client_as("alice")

    answer = alice.get(f"/bao-cao/{job.pk}/docx/")
    assert answer.status_code == 410
    text = answer.content.decode()
    assert "đã được xóa vì quá 30 ngày lưu trữ" in text and "tạo lại báo cáo" in text
    assert alice.get(f"/bao-cao/{job.pk}/xlsx/").status_code == 404  # never made

    doc = alice.get(f"/bao-cao/{job.pk}.json").json()["report"]
    assert (doc["status"], doc["status_label"], doc["downloads"]) == ("expired", "Hết hạn", {})
    page = alice.get(f"/bao-cao/{job.pk}/").content.decode()
    assert "Hết hạn" in page and "Tạo lại với số liệu mới nhất" in page
    assert client_as("charlie").get(f"/bao-cao/{job.pk}/docx/").status_code == 404


def test_the_worker_loop_sweeps_at_most_once_per_interval(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention._turns, "next", 0.0)
    first = made(cast["alice"], days_ago=31)
    assert retention.sweep() == 1
    second = made(cast["alice"], days_ago=31)
    assert retention.sweep() == 0  # within SWEEP_SECONDS of the last sweep
    second.refresh_from_db()
    assert second.status == Status.DONE
    first.refresh_from_db()
    assert first.status == Status.EXPIRED


def test_the_worker_deletes_expired_files_between_jobs(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention._turns, "next", 0.0)
    old = made(cast["alice"], days_ago=31)
    assert run_one() is None  # no queued job, but the sweep was due
    old.refresh_from_db()
    assert old.status == Status.EXPIRED and not job_folder(old).exists()
