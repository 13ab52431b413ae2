"""A report job reads a private snapshot of the data: the dashboard is served meanwhile,
and writes wait until the report has read (threads ordered by events, not by sleeps)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from chiso_web import data
from chiso_web.reports import generate as generate_module
from chiso_web.reports.models import ReportRequest
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
GUARD = 120.0  # seconds: only turns a deadlock into a failure, never waited for when it works


class PausedReport:
    """A report job in a thread, stopped while it scores until ``release()``."""

    def __init__(self, job: ReportRequest) -> None:
        self.scoring = threading.Event()
        self._release = threading.Event()
        self.released_in_time = False
        self.outcome: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True)

    def paused(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def score(*args: Any, **kwargs: Any) -> Any:
            self.scoring.set()
            self.released_in_time = self._release.wait(GUARD)
            return real(*args, **kwargs)

        return score

    def _run(self, job: ReportRequest) -> None:
        try:
            self.outcome["files"] = generate_module.generate(job)[0]
        except Exception as err:  # reported by the test, not lost in the thread
            self.outcome["error"] = err

    def start(self) -> None:
        self._thread.start()
        assert self.scoring.wait(GUARD), self.outcome

    def release(self) -> None:
        self._release.set()
        self._thread.join(GUARD)


@pytest.fixture
def report(cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[PausedReport]:
    job = ReportRequest.objects.create(
        requested_by=cast["alice"], unit_code=ALICE_UNIT, unit_name="UBND xã Sín Thầu",
        period="2026-09", index_set="dienbien-459-2023", formats=["xlsx"],
    )  # fmt: skip
    paused = PausedReport(job)
    monkeypatch.setattr(generate_module, "from_store", paused.paused(generate_module.from_store))
    yield paused
    paused.release()  # a failed test must not leave the thread waiting


def test_a_dashboard_read_completes_while_a_report_job_is_scoring(
    report: PausedReport, client_as: Any
) -> None:
    report.start()
    answer = client_as("admin").get("/xep-hang.json?period=2026-08&level=kind:xa,phuong")
    assert answer.status_code == 200 and answer.json()["units"]
    report.release()
    assert report.released_in_time, "the dashboard read waited for the report"
    assert "error" not in report.outcome and "xlsx" in report.outcome["files"]


def test_a_write_waits_until_the_report_has_read_and_reads_go_on(
    report: PausedReport, writable_data: Path
) -> None:
    service = data.service()
    written = threading.Event()
    rating = {"dossier_code": "NOT-A-DOSSIER-2", "rated_at": datetime(2026, 9, 3)}

    def write() -> None:
        data.write_rows("ratings", [{**rating, "channel": "qr", "satisfied": True}])
        written.set()

    report.start()
    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert service.lock.wait_for_writers(1, GUARD)
    assert not written.is_set()  # it waits for the report's snapshot
    tag = service.version_tag()  # the dashboard's store is still served
    assert service.results(data.index_set(), data.period("2026-09")).units
    report.release()
    writer.join(GUARD)
    assert written.is_set() and report.released_in_time
    assert "error" not in report.outcome
    assert service.version_tag() != tag
