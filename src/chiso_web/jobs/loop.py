"""The one worker loop: a thread per lane, each round housekeeping then one job.

A round of a lane (:func:`run_next`) puts back or fails its kinds' stale rows
(:func:`chiso_web.jobs.queue.requeue_stale`), runs its periodic kinds (the push inbox
flush, report retention: each decides itself whether it is due), then claims the oldest
waiting row of its queued kinds and does its step — in a child process with the memory
limit when the kind is ``isolated`` (a crash fails the row with the reason), else in the
loop's thread.  ``chiso serve`` (``CHISO_WORKER=1``) and ``python -m chiso_web worker``
both run :func:`start_threads`; tests call :func:`run_kind` to do one job synchronously.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.db import close_old_connections, connection
from django.utils.translation import gettext_lazy

from chiso_web.jobs import isolation, queue
from chiso_web.jobs.kinds import KINDS, LANES, Kind, of_lane

log = logging.getLogger("chiso_web.jobs")
POLL_SECONDS = 1.0
INTERNAL = gettext_lazy(
    "Internal error while running the job; an administrator reads the server's log for the details."
)
_turn = itertools.count()
_wake = {lane: threading.Event() for lane in LANES}


def wake(lane: str) -> None:
    """Cut a lane's wait short (a push arrived): its next round starts now."""
    _wake[lane].set()


def housekeeping(kinds: list[Kind]) -> None:
    """Stale rows of the queued kinds, then one round of each periodic kind."""
    for kind in kinds:
        if kind.periodic:
            kind.call(kind.run)
        else:
            queue.requeue_stale(kind)


def run_kind(name: str) -> Any:
    """Housekeeping of the kind's lane, then claim and run one row of kind ``name``; the
    row (None when none waits)."""
    kind = KINDS[name]
    housekeeping([k for k in of_lane(kind.lane) if k.periodic or k is kind])
    row = queue.claim(kind)
    if row is not None:
        execute(kind, row)
    return row


def run_next(lane: str | None = None, *, pages: bool = True) -> str | None:
    """One round of ``lane`` (every lane for None): a line saying what was done, None
    when no row waited.  Queued kinds take turns, so one long queue starves no other.
    ``pages``: also the kinds that fill the web process's cache (not in a separate
    worker process)."""
    kinds = of_lane(lane, pages=pages)
    housekeeping(kinds)
    queued = [kind for kind in kinds if not kind.periodic]
    first = next(_turn) % len(queued) if queued else 0
    for kind in queued[first:] + queued[:first]:
        row = queue.claim(kind)
        if row is not None:
            execute(kind, row)
            return str(kind.call(kind.describe, row))
    return None


def execute(kind: Kind, row: Any) -> None:
    """Do a claimed row's step: in a child process when the kind is isolated."""
    log.info("%s #%s: %s", kind.name, row.pk, row.status)
    if not kind.isolated:
        kind.call(kind.run, row)
        return
    try:
        with _data_for_child():
            isolation.call(kind.child, {"kind": kind.name, "pk": row.pk})
    except isolation.WorkerCrashed as err:
        log.warning("%s #%s: %s", kind.name, row.pk, err.message)
        row.refresh_from_db()
        kind.call(kind.fail, row, str(kind.crashed) % {"reason": err.message})
    except Exception:
        log.exception("%s #%s thất bại", kind.name, row.pk)
        row.refresh_from_db()
        kind.call(kind.fail, row, str(INTERNAL))
    else:
        row.refresh_from_db()  # the child wrote the outcome
    finally:
        _data_changed_elsewhere()


def run_in_child(payload: dict[str, Any]) -> None:
    """The child's side of :func:`execute`: load the claimed row and do its step."""
    kind = KINDS[payload["kind"]]
    row = kind.row_model()._default_manager.get(pk=payload["pk"])
    kind.call(kind.run, row)


def _data_for_child() -> AbstractContextManager[Any]:
    """A DuckDB file admits one writing process: the site closes its own connection and
    waits (writes, reads) while the child has the file; folders and PostgreSQL need not."""
    from chiso_web import data

    service = data.service()
    return service.writing() if service.data_source.kind == "duckdb" else nullcontext()


def _data_changed_elsewhere() -> None:
    """The child may have written the data: the site's scores are recomputed."""
    from chiso_web import data

    data.service().forget()


def start_threads(interval: float = POLL_SECONDS, *, pages: bool = True) -> Callable[[], None]:
    """Run every lane in a daemon thread polling every ``interval`` seconds (a lane's
    :func:`wake` cuts the wait short); returns ``stop``.  ``pages`` false (a worker
    process apart from the web process): without the kinds that fill the web process's
    cache, and their lanes."""
    stopping = threading.Event()
    lanes = [lane for lane in LANES if of_lane(lane, pages=pages)]

    def loop(lane: str) -> None:
        while not stopping.is_set():
            close_old_connections()
            try:
                done = run_next(lane, pages=pages)
            except Exception:  # the database went away: log, wait, try again
                log.exception("hàng đợi công việc lỗi")
                done = None
            if done is None:
                _wake[lane].wait(interval)
                _wake[lane].clear()
        connection.close()

    threads = [
        threading.Thread(target=loop, args=(lane,), name=f"chiso-worker-{lane}", daemon=True)
        for lane in lanes
    ]
    for thread in threads:
        thread.start()

    def stop(timeout: float = 30.0) -> None:
        stopping.set()
        for lane in lanes:
            _wake[lane].set()
        for thread in threads:
            thread.join(timeout)

    return stop
