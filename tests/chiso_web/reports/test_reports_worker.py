"""The report worker outside a request: the daemon thread, the command, stuck jobs."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone

from chiso_web.reports.models import ReportRequest, Status
from chiso_web.reports.worker import MAX_ATTEMPTS, STALE_AFTER, claim, requeue_stale, start_thread
from web_cast import ALICE_UNIT


def _queue(user: Any, **fields: Any) -> ReportRequest:
    values = {"unit_code": ALICE_UNIT, "unit_name": "UBND xã Sín Thầu", "period": "2026-09",
              "index_set": "dienbien-459-2023", "formats": ["docx", "xlsx"]}  # fmt: skip
    values.update(fields)
    return ReportRequest.objects.create(requested_by=user, **values)


@pytest.mark.django_db(transaction=True)
def test_the_worker_thread_makes_a_queued_report(cast: Any) -> None:
    job = _queue(cast["alice"])
    stop = start_thread(interval=0.1)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                job.refresh_from_db()
            except OperationalError:  # the worker is writing (SQLite test database)
                continue
            if not job.pending:
                break
    finally:
        stop()
    assert job.status == Status.DONE, job.error
    assert job.output_path("docx") is not None and job.output_path("xlsx") is not None


@pytest.mark.django_db
def test_the_command_runs_one_job_and_says_so(cast: Any) -> None:
    first = _queue(cast["alice"])
    second = _queue(cast["alice"], period="2019-01")
    out = io.StringIO()
    call_command("worker", once=True, stdout=out)
    assert f"#{first.pk}" in out.getvalue() and "Hoàn thành" in out.getvalue()
    second.refresh_from_db()
    assert second.status == Status.QUEUED  # --once: one job only
    out = io.StringIO()
    call_command("worker", once=True, stdout=out)
    assert "Lỗi" in out.getvalue() and "chưa có hồ sơ nào" in out.getvalue()
    out = io.StringIO()
    call_command("worker", once=True, stdout=out)
    assert "Không có yêu cầu báo cáo hay lần nhập dữ liệu nào đang chờ." in out.getvalue()


@pytest.mark.django_db
def test_the_oldest_job_is_claimed_once(cast: Any) -> None:
    older, newer = _queue(cast["alice"]), _queue(cast["alice"], period="2026-08")
    got = claim()
    assert got is not None and got.pk == older.pk
    assert got.status == Status.RUNNING and got.attempts == 1
    again = claim()
    assert again is not None and again.pk == newer.pk
    assert claim() is None


@pytest.mark.django_db
def test_a_stuck_job_is_queued_again_then_failed(cast: Any) -> None:
    job = _queue(cast["alice"])
    claim()
    later = timezone.now() + STALE_AFTER + timedelta(seconds=1)
    assert requeue_stale(now=later) == 1
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    ReportRequest.objects.filter(pk=job.pk).update(status=Status.RUNNING, attempts=MAX_ATTEMPTS,
                                                   started_at=timezone.now())  # fmt: skip
    requeue_stale(now=later)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert f"sau {MAX_ATTEMPTS} lần chạy" in job.error


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_claim_the_same_job(cast: Any) -> None:
    jobs = {_queue(cast["alice"], period=f"2026-0{m}").pk for m in range(1, 9)}
    claimed: list[int] = []
    errors: list[BaseException] = []

    def drain() -> None:
        # like the worker loop: a busy database (SQLite's in-memory test database locks
        # whole tables) means wait and try again; only the claims themselves are checked
        try:
            deadline = time.monotonic() + 25  # a loaded machine may keep SQLite busy
            while time.monotonic() < deadline:
                try:
                    job = claim()
                except OperationalError:
                    time.sleep(0.005)
                    continue
                if job is None:
                    return
                claimed.append(job.pk)
        except BaseException as err:  # reported by the assertion below
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sorted(claimed) == sorted(jobs)


@pytest.mark.django_db(transaction=True)
def test_a_finished_job_is_saved_even_while_a_reader_holds_the_table(cast: Any) -> None:
    """Another connection's open read transaction never makes the worker's final write fail
    (SQLite's shared-cache memory database did, at once: "database table is locked", and the
    job stayed "running"; the test database is a file, as the site's is: the write waits)."""
    import sqlite3

    from chiso_web.reports.worker import _finish

    if connection.vendor != "sqlite":
        pytest.skip("the table lock is SQLite's")
    job = _queue(cast["alice"], status=Status.RUNNING)
    name = connection.settings_dict["NAME"]
    reader = sqlite3.connect(name, uri=name.startswith("file:"), check_same_thread=False)
    let_go = threading.Timer(0.3, reader.rollback)  # the reader lets go after 0.3 s at most
    try:
        reader.execute("BEGIN")
        reader.execute(f"SELECT count(*) FROM {ReportRequest._meta.db_table}").fetchall()
        let_go.start()
        _finish(job, Status.DONE)
    finally:
        let_go.join()
        reader.close()
    job.refresh_from_db()
    assert job.status == Status.DONE
