"""The one atomic claim and the one stale-job rule of every queued kind.

:func:`claim_oldest` moves the oldest waiting row to its running status for exactly one
worker: a conditional UPDATE; on PostgreSQL the candidate row is picked with
``SELECT … FOR UPDATE SKIP LOCKED``.  :func:`requeue_stale` puts back a row left running
since the kind's ``stale_after`` (the process that ran it stopped: a restart, a kill), at
most ``max_attempts`` times, then fails it.  A step whose *child process* crashed is not
stale: the loop saw it end and failed it with the reason at once
(:mod:`chiso_web.jobs.isolation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from chiso_web.jobs.kinds import Kind

M = TypeVar("M", bound=models.Model)


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


def claim(kind: Kind) -> Any:
    """Claim the oldest waiting row of a queued kind (None when none waits)."""
    return claim_oldest(kind.row_model(), kind.steps)


def requeue_stale(kind: Kind, now: datetime | None = None) -> int:
    """Queue again (or fail, after ``max_attempts``) the kind's rows stuck in a running
    status since ``stale_after``; how many rows were moved."""
    limit = (now or timezone.now()) - kind.stale_after
    manager: Any = kind.row_model()._default_manager
    stuck = manager.filter(status__in=list(kind.steps.values()), started_at__lt=limit)
    if not stuck.exists():  # the idle loop only reads: no write lock every second on SQLite
        return 0
    back = {running: waiting for waiting, running in kind.steps.items()}
    count = 0
    for row in stuck:
        if row.attempts >= kind.max_attempts:
            kind.call(kind.fail, row, str(kind.gave_up) % {"n": kind.max_attempts})
        else:
            manager.filter(pk=row.pk, status=row.status).update(status=back[row.status])
        count += 1
    return count
