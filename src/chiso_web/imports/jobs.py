"""Import runs as worker jobs: check an upload (dry run), import a confirmed one.

The site's one job loop (:func:`chiso_web.jobs.run_next`: the thread of ``chiso serve``,
``python -m chiso_web worker``) calls :func:`run_one`; tests call it directly to run a
job synchronously.  A run is claimed atomically (queued → checking, confirming →
importing); a run left checking or importing by a process that died is queued again after
:data:`STALE_AFTER` (the import is idempotent: rows merge by key), at most
:data:`MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from chiso_web.imports import runs
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.imports.retention import sweep
from chiso_web.jobs import claim_oldest

log = logging.getLogger("chiso_web.imports")
STALE_AFTER = timedelta(hours=1)
MAX_ATTEMPTS = 3
STEPS: dict[str, str] = {
    RunStatus.QUEUED: RunStatus.CHECKING,
    RunStatus.CONFIRMING: RunStatus.IMPORTING,
}
INTERNAL = (
    "Lỗi nội bộ khi xử lý tệp; chưa nhập dòng nào. "
    "Quản trị viên xem nhật ký máy chủ để biết chi tiết."
)


def run_one() -> ImportRun | None:
    """Claim the oldest waiting run and do its step; None when no run waits (each call also
    deletes uploads kept too long: ``retention.sweep``, at most hourly)."""
    requeue_stale()
    sweep()
    run = claim_oldest(ImportRun, STEPS)
    if run is None:
        return None
    checking = run.status == RunStatus.CHECKING
    log.info("lần nhập #%s: %s %s", run.pk, "kiểm tra" if checking else "nhập", run.files)
    try:
        if checking:
            runs.validate(run)
        else:
            runs.apply(run)
    except Exception:
        log.exception("lần nhập #%s thất bại", run.pk)
        _fail(run, INTERNAL)
    return run


def requeue_stale(now: datetime | None = None) -> int:
    """Queue again (or fail, after MAX_ATTEMPTS) runs stuck in a step since STALE_AFTER."""
    limit = (now or timezone.now()) - STALE_AFTER
    stuck = ImportRun.objects.filter(status__in=list(STEPS.values()), started_at__lt=limit)
    if not stuck.exists():  # the idle loop only reads
        return 0
    count = 0
    for run in stuck:
        if run.attempts >= MAX_ATTEMPTS:
            _fail(run, f"Lần nhập không hoàn thành sau {MAX_ATTEMPTS} lần chạy; hãy tải lên lại.")
        else:
            back = next(before for before, step in STEPS.items() if step == run.status)
            ImportRun.objects.filter(pk=run.pk, status=run.status).update(status=back)
        count += 1
    return count


def _fail(run: ImportRun, message: str) -> None:
    run.status, run.message, run.hint = RunStatus.FAILED, message, ""
    runs.finish(run)
    run.save()


def describe(run: ImportRun) -> str:
    """One line for the ``worker`` command: the run, its status and its message."""
    line = f"lần nhập #{run.pk} {', '.join(run.files)}: {run.get_status_display()}"
    return f"{line} — {run.message}" if run.message else line
