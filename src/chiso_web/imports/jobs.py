"""The import kind of the job system: check an upload (dry run), import a confirmed one.

An import run reads a user's file, so its steps run in a child process with the memory
limit (``isolated``, :mod:`chiso_web.jobs.isolation`): the one worker loop claims the run
(queued → checking, confirming → importing) in its ``files`` lane and the child does
:func:`step`.  A child that ran out of memory or died fails the run at once with the
reason ("tệp quá lớn hoặc hỏng: …"), its files deleted — never queued again.  A run left
checking or importing by a loop that stopped (a restart) is queued again after
:data:`STALE_AFTER` (the import is idempotent: rows merge by key), at most
:data:`MAX_ATTEMPTS` times (:mod:`chiso_web.jobs.queue`).  Tests call :func:`run_one`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils.translation import gettext, gettext_lazy

from chiso_web.imports import runs
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.jobs import queue
from chiso_web.jobs.child import out_of_memory
from chiso_web.jobs.kinds import KINDS
from chiso_web.jobs.loop import run_kind

log = logging.getLogger("chiso_web.imports")
KIND = KINDS["import"]
STALE_AFTER = KIND.stale_after
MAX_ATTEMPTS = KIND.max_attempts
INTERNAL = gettext_lazy(
    "Internal error while processing the file; no row imported. "
    "An administrator reads the server's log for the details."
)


def run_one() -> ImportRun | None:
    """Claim the oldest waiting run and do its step; None when no run waits."""
    run: ImportRun | None = run_kind(KIND.name)
    return run


def requeue_stale(now: datetime | None = None) -> int:
    """Queue again (or fail, after MAX_ATTEMPTS) runs stuck in a step since STALE_AFTER."""
    return queue.requeue_stale(KIND, now)


def step(run: ImportRun) -> None:
    """The kind's step (in the child): validate a run being checked, apply one being
    imported."""
    checking = run.status == RunStatus.CHECKING
    log.info("lần nhập #%s: %s %s", run.pk, "kiểm tra" if checking else "nhập", run.files)
    try:
        if checking:
            runs.validate(run)
        else:
            runs.apply(run)
    except Exception as err:
        if out_of_memory(err):
            raise  # the child exits for memory; the loop fails the run with the reason
        log.exception("lần nhập #%s thất bại", run.pk)
        fail(run, str(INTERNAL))


def fail(run: ImportRun, message: str) -> None:
    """End a run failed with ``message`` (its files deleted)."""
    run.status, run.message, run.hint = RunStatus.FAILED, message, ""
    runs.finish(run)
    run.save()


def describe(run: ImportRun) -> str:
    """One line for the ``worker`` command: the run, its status and its message."""
    line = gettext("import run #%(pk)s %(files)s: %(status)s") % {
        "pk": run.pk,
        "files": ", ".join(run.files),
        "status": run.get_status_display(),
    }
    return f"{line} — {run.message}" if run.message else line
