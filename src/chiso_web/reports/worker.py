"""The report worker: claim the oldest queued job, make its files, record the outcome.

* :func:`run_one` does one job (or nothing) and returns it — tests and
  ``python -m chiso_web worker --once`` call it directly;
* :func:`start_thread` runs the site's one job loop (report jobs and import runs,
  :func:`chiso_web.jobs.run_next`) in a daemon thread of the web process (``chiso serve``
  with ``CHISO_WORKER=1``) and returns the ``stop()`` to call at shutdown.

Claiming is atomic on every database (:func:`chiso_web.jobs.claim_oldest`): a conditional
UPDATE (``status='queued'`` → ``running``) succeeds for exactly one worker; on PostgreSQL
the candidate row is picked with ``SELECT … FOR UPDATE SKIP LOCKED``.
A job left ``running`` by a process that died is queued again after
:data:`STALE_AFTER`, at most :data:`MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from chiso.errors import ChisoError
from chiso_web.jobs import claim_oldest, run_next
from chiso_web.reports.generate import generate
from chiso_web.reports.models import ReportRequest, Status
from chiso_web.reports.retention import sweep

log = logging.getLogger("chiso_web.reports")
POLL_SECONDS = 1.0
STALE_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 3
INTERNAL = "Lỗi nội bộ khi tạo báo cáo; quản trị viên xem nhật ký máy chủ để biết chi tiết."


def run_one() -> ReportRequest | None:
    """Claim and run the oldest queued job; None when the queue is empty.

    Each call also deletes the files of expired reports (``retention.sweep``: at most
    hourly, ``CHISO_REPORT_DAYS``).
    """
    requeue_stale()
    sweep()
    job = claim()
    if job is None:
        return None
    log.info("báo cáo #%s: %s %s", job.pk, job.unit_code, job.period)
    try:
        outputs, notes = generate(job)
    except ChisoError as err:
        _finish(job, Status.FAILED, error=_sentence(err))
    except Exception:
        log.exception("báo cáo #%s thất bại", job.pk)
        _finish(job, Status.FAILED, error=INTERNAL)
    else:
        _finish(job, Status.DONE, outputs=outputs, notes=notes)
    return job


def claim() -> ReportRequest | None:
    """Atomically move the oldest queued job to ``running`` and return it."""
    return claim_oldest(ReportRequest, {Status.QUEUED: Status.RUNNING})


def requeue_stale(now: datetime | None = None) -> int:
    """Queue again (or fail, after MAX_ATTEMPTS) jobs stuck ``running`` since STALE_AFTER."""
    limit = (now or timezone.now()) - STALE_AFTER
    stuck = ReportRequest.objects.filter(status=Status.RUNNING, started_at__lt=limit)
    if not stuck.exists():  # the idle loop only reads: no write lock every second on SQLite
        return 0
    failed = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error=f"Báo cáo không hoàn thành sau {MAX_ATTEMPTS} lần chạy; hãy tạo yêu cầu mới.",
    )
    return failed + stuck.update(status=Status.QUEUED)


def _finish(
    job: ReportRequest,
    status: str,
    *,
    error: str = "",
    outputs: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> None:
    job.status = status
    job.error = error
    job.outputs = outputs or {}
    job.notes = notes or []
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "outputs", "notes", "finished_at"])


def describe(job: ReportRequest) -> str:
    """One line for the ``worker`` command: the job, its status and its error."""
    line = f"#{job.pk} {job.unit_name or job.unit_code} {job.period}: {job.get_status_display()}"
    return f"{line} — {job.error}" if job.error else line


def _sentence(err: ChisoError) -> str:
    """The error's message and hint as what the page shows."""
    message = err.message.strip()
    if not message.endswith((".", "!", "?")):
        message += "."
    if err.hint:
        return f"Không tạo được báo cáo: {message} Gợi ý: {err.hint.strip()}"
    return f"Không tạo được báo cáo: {message}"


def start_thread(interval: float = POLL_SECONDS) -> Callable[[], None]:
    """Run jobs of every kind in a daemon thread polling every ``interval`` seconds;
    returns ``stop``."""
    stopping = threading.Event()

    def loop() -> None:
        while not stopping.is_set():
            close_old_connections()
            try:
                done = run_next()
            except Exception:  # the database went away: log, wait, try again
                log.exception("hàng đợi công việc lỗi")
                done = None
            if done is None:
                stopping.wait(interval)
        connection.close()

    thread = threading.Thread(target=loop, name="chiso-worker", daemon=True)
    thread.start()

    def stop(timeout: float = 30.0) -> None:
        stopping.set()
        thread.join(timeout)

    return stop
