"""The report kind of the job system: make a claimed request's files, record the outcome.

* :func:`run_one` does one job (or nothing) and returns it — tests call it directly;
* :func:`make` is the kind's step (``chiso_web.jobs.kinds``), run by the one worker loop
  (:mod:`chiso_web.jobs.loop`) in its ``reports`` lane, in the loop's own process (a report
  reads the site's data, no user file).

Claiming and stale jobs follow the job system's one rule (:mod:`chiso_web.jobs.queue`): a
job left ``running`` by a process that died is queued again after :data:`STALE_AFTER`, at
most :data:`MAX_ATTEMPTS` times.  The files of expired reports are deleted by the
``retention`` kind of the same lane (:mod:`chiso_web.reports.retention`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chiso.errors import ChisoError
from chiso_web.jobs import queue
from chiso_web.jobs.kinds import KINDS
from chiso_web.jobs.loop import POLL_SECONDS, run_kind, start_threads
from chiso_web.reports.generate import generate
from chiso_web.reports.models import ReportRequest, Status

log = logging.getLogger("chiso_web.reports")
KIND = KINDS["report"]
STALE_AFTER = KIND.stale_after
MAX_ATTEMPTS = KIND.max_attempts
INTERNAL = gettext_lazy(
    "Internal error while making the report; an administrator reads the server's log for the "
    "details."
)


def run_one() -> ReportRequest | None:
    """Claim and make the oldest queued report; None when none waits (the lane's
    housekeeping runs first: stale jobs, retention)."""
    job: ReportRequest | None = run_kind(KIND.name)
    return job


def claim() -> ReportRequest | None:
    """Atomically move the oldest queued job to ``running`` and return it."""
    job: ReportRequest | None = queue.claim(KIND)
    return job


def requeue_stale(now: datetime | None = None) -> int:
    """Queue again (or fail, after MAX_ATTEMPTS) jobs stuck ``running`` since STALE_AFTER."""
    return queue.requeue_stale(KIND, now)


def make(job: ReportRequest) -> None:
    """The kind's step: make the claimed job's files."""
    log.info("báo cáo #%s: %s %s", job.pk, job.unit_code, job.period)
    try:
        outputs, notes = generate(job)
    except ChisoError as err:
        _finish(job, Status.FAILED, error=_sentence(err))
    except Exception:
        log.exception("báo cáo #%s thất bại", job.pk)
        _finish(job, Status.FAILED, error=str(INTERNAL))
    else:
        _finish(job, Status.DONE, outputs=outputs, notes=notes)


def fail(job: ReportRequest, message: str) -> None:
    """End a job failed with ``message`` (the job system gave up on it)."""
    _finish(job, Status.FAILED, error=message)


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
    line = gettext("report #%(pk)s %(unit)s %(period)s: %(status)s") % {
        "pk": job.pk,
        "unit": job.unit_name or job.unit_code,
        "period": job.period_label,
        "status": job.get_status_display(),
    }
    return f"{line} — {job.error}" if job.error else line


def _sentence(err: ChisoError) -> str:
    """The error's message and hint as what the page shows."""
    message = err.message.strip()
    if not message.endswith((".", "!", "?")):
        message += "."
    if err.hint:
        return gettext("The report could not be made: %(message)s Hint: %(hint)s") % {
            "message": message,
            "hint": err.hint.strip(),
        }
    return gettext("The report could not be made: %(message)s") % {"message": message}


def start_thread(interval: float = POLL_SECONDS) -> Callable[[], None]:
    """Run the job system's loop (every lane) in daemon threads; returns ``stop``."""
    return start_threads(interval)
