"""The one worker loop's job kinds: report requests and import runs (conventions.md §18).

Each kind is a module with ``run_one()`` (claim the oldest waiting row, do its step,
return it; None when that queue is empty) and ``describe(job)`` (one line for the
``worker`` command).  :func:`run_next` does one job of any kind; the daemon thread of
``chiso serve`` and ``python -m chiso_web worker`` both loop on it
(``chiso_web.reports.worker.start_thread``).

:func:`claim_oldest` is the one atomic claim every kind uses: a conditional UPDATE moves
the oldest waiting row to its running status for exactly one worker; on PostgreSQL the
candidate row is picked with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

#: Modules with ``run_one()`` and ``describe(job)``, tried in turn (rotating, so a long
#: queue of one kind does not starve the other).
JOB_KINDS = ("chiso_web.reports.worker", "chiso_web.imports.jobs")
_turn = itertools.count()

M = TypeVar("M", bound=models.Model)


def run_next() -> str | None:
    """Run one job of any kind; a line saying what was done, None when all queues are empty."""
    first = next(_turn) % len(JOB_KINDS)
    for path in JOB_KINDS[first:] + JOB_KINDS[:first]:
        kind: Any = import_string(f"{path}.run_one")
        job = kind()
        if job is not None:
            describe: Any = import_string(f"{path}.describe")
            return str(describe(job))
    return None


def claim_oldest(model: type[M], transitions: Mapping[str, str]) -> M | None:
    """Atomically move the oldest row whose status is a key of ``transitions`` to the
    matching value (stamping ``started_at`` and counting ``attempts``) and return it."""
    manager: Any = model._default_manager
    waiting = manager.filter(status__in=list(transitions)).order_by("created_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True)
    while True:  # another worker won the race: try the next row (each loss is its progress)
        with transaction.atomic():
            found = waiting.values_list("pk", "status").first()
            if found is None:
                return None
            pk, status = found
            won = manager.filter(pk=pk, status=status).update(
                status=transitions[status], started_at=timezone.now(), attempts=F("attempts") + 1
            )
            if won:  # read in the same transaction: a failed read undoes the claim
                job: M = manager.get(pk=pk)
                return job


class Throttle:
    """Lets a periodic chore of the worker loop (a retention sweep) run at most once every
    ``seconds`` in this process, whatever the number of worker threads."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.next = 0.0
        self._lock = threading.Lock()

    def due(self) -> bool:
        """True (and the next turn moved ``seconds`` on) when the chore's turn has come."""
        with self._lock:
            if time.monotonic() < self.next:
                return False
            self.next = time.monotonic() + self.seconds
            return True
