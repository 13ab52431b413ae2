"""Steps that read a user's file run in a child process with a memory limit: a child
past the limit fails its job with a Vietnamese reason (never queued again) and the web
process's memory does not move; a normal check answers as in the process."""

from __future__ import annotations

import dataclasses
import html
import resource
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chiso_web.imports.jobs import requeue_stale, run_one
from chiso_web.jobs import isolation
from chiso_web.jobs.kinds import KINDS
from web_cast import ALICE_UNIT
from web_imports import CHECK_PAGE as CHECK_PAGE
from web_imports import export, queue, report_seed

pytestmark = pytest.mark.django_db
LIMIT_MB = 512  # the child starts with about 220 MB of private memory
REASON = "tệp quá lớn hoặc hỏng: tiến trình kiểm tra vượt giới hạn bộ nhớ (512 MB"


@pytest.fixture
def children(settings: Any) -> None:
    """Real child processes with a small memory limit."""
    settings.JOBS_IN_PROCESS = False
    settings.CHISO = {**settings.CHISO, "CHISO_WORKER_MEMORY_MB": LIMIT_MB}


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_a_child_past_the_limit_is_a_crash_with_the_reason_and_the_parent_stays_small(
    children: None,
) -> None:
    assert isolation.call("chiso_web.jobs.probe.allocate", {"megabytes": 10}) == 10
    before = _peak_kb()
    with pytest.raises(isolation.WorkerCrashed) as crashed:
        isolation.call("chiso_web.jobs.probe.allocate", {"megabytes": 2 * LIMIT_MB})
    assert crashed.value.message.startswith(REASON) and crashed.value.hint
    assert _peak_kb() - before < 64 * 1024  # the web process did not hold the memory


def test_an_import_whose_child_runs_out_of_memory_fails_with_the_reason_and_is_not_retried(
    children: None, client_as: Any, writable_data: Path, settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # the child's step replaced by one that allocates without end, as a crafted file could
    # make the reader do (the real step reads the run from the site database, which a
    # child cannot see in a test); the claim, the child, the limit and the failure are real
    kind = dataclasses.replace(KINDS["import"], child="chiso_web.jobs.probe.exhaust")
    monkeypatch.setitem(KINDS, "import", kind)
    alice = client_as("alice")
    run = queue(alice, export(writable_data, [ALICE_UNIT]))
    before = _peak_kb()
    assert run_one() is not None
    assert _peak_kb() - before < 64 * 1024
    run.refresh_from_db()
    assert run.status == "failed" and run.get_status_display() == "Lỗi hệ thống"
    assert run.message == f"Không xử lý được tệp, chưa nhập dòng nào: {REASON}, " + (
        "CHISO_WORKER_MEMORY_MB) hoặc dừng bất thường."
    )
    assert run.finished_at is not None
    assert not (Path(settings.HOME) / "uploads" / run.key).exists()
    assert run_one() is None  # not queued again
    assert requeue_stale(now=timezone.now() + timedelta(days=1)) == 0
    page = alice.get(f"/nhap-du-lieu/lan/{run.pk}/").content.decode()
    assert "tệp quá lớn hoặc hỏng" in html.unescape(page)


def test_the_report_checker_answers_from_its_child_as_in_the_process(
    children: None, client_as: Any
) -> None:
    alice = client_as("alice")
    answer = alice.post(CHECK_PAGE, {"report": report_seed("000"), "format": "json"})
    doc = answer.json()["check"]
    assert (doc["errors"], doc["period"], doc["reporting_unit"]) == (2, "2024-11", "102")
    empty = alice.post(CHECK_PAGE, {"report": SimpleUploadedFile("trong.txt", b"khong co")})
    assert empty.status_code == 400 and "Gợi ý" in empty.content.decode()  # a user error
