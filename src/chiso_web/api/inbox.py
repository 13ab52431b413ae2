"""The durable inbox of pushed dossiers and the flusher that merges it into the data.

A push is answered as soon as its validated dossiers are stored in the site database
(one transaction, :class:`~chiso_web.api.models.PushedDossier`, unique by dossier code).
The flusher then merges every pending dossier into the canonical data with *one*
:func:`chiso_web.data.write_rows` per round and marks them merged.  Merging is by key and
idempotent, so a crash between the merge and the marking only costs a no-op re-merge.

With ``CHISO_WORKER`` on (``chiso serve``) the flush is the ``inbox`` kind of the job
system (:func:`flush_due`, the ``inbox`` lane of :mod:`chiso_web.jobs.loop`), woken by
each push and run at least every :data:`IDLE_SECONDS`; otherwise (tests, a worker-less
deployment) each push flushes before it is answered.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from chiso.api import TABLES, ColumnType, Compaction, Diff
from chiso_web import data
from chiso_web.api.models import PushedDossier
from chiso_web.jobs import loop

log = logging.getLogger(__name__)
FLUSH_LIMIT = 50_000  # dossiers merged per round
IDLE_SECONDS = 5.0  # the flusher looks for pending dossiers at least this often
GATHER_SECONDS = 0.5  # after a wake-up, wait this long for more pushes to merge together
CHUNK = 2_000  # codes per IN (...) query


@dataclass
class Received:
    """How a batch compares with what was pushed before."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(row, cls=DjangoJSONEncoder))
    return loaded


def _canonical(payload: dict[str, Any]) -> dict[str, Any]:
    """A stored payload back as canonical Python values (timestamps, dates)."""
    out = dict(payload)
    for column, ctype in TABLES["dossiers"].items():
        value = out.get(column)
        if isinstance(value, str) and ctype is ColumnType.TIMESTAMP:
            out[column] = datetime.fromisoformat(value)
        elif isinstance(value, str) and ctype is ColumnType.DATE:
            out[column] = date.fromisoformat(value)
    return out


def store_batch(rows: list[dict[str, Any]], token_name: str) -> Received:
    """Store validated canonical dossier rows; unchanged ones are not touched."""
    rows = [_jsonable(r) for r in rows]
    codes = [r["dossier_code"] for r in rows]
    before: dict[str, Any] = {}
    for i in range(0, len(codes), CHUNK):
        found = PushedDossier.objects.filter(dossier_code__in=codes[i : i + CHUNK])
        before.update(found.values_list("dossier_code", "payload"))
    now = timezone.now()
    received = Received()
    writes = []
    for row in rows:
        old = before.get(row["dossier_code"])
        if old == row:
            received.unchanged += 1
            continue
        if old is None:
            received.new += 1
        else:
            received.changed += 1
        writes.append(_pushed(row, token_name, now))
    with transaction.atomic():
        PushedDossier.objects.bulk_create(
            writes,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["dossier_code"],
            update_fields=["unit_code", "payload", "token_name", "received_at", "merged_at"],
        )
    return received


def _pushed(row: dict[str, Any], token_name: str, now: datetime) -> PushedDossier:
    return PushedDossier(
        dossier_code=row["dossier_code"],
        unit_code=row.get("unit_code") or "",
        payload=row,
        token_name=token_name,
        received_at=now,
        merged_at=None,
    )


def pending_count() -> int:
    """Dossiers received but not yet merged into the data."""
    return PushedDossier.objects.filter(merged_at__isnull=True).count()


_flush_lock = threading.Lock()


def flush_pending(limit: int = FLUSH_LIMIT) -> tuple[int, Diff]:
    """Merge up to ``limit`` pending dossiers in one write; ``(merged, diff)``."""
    with _flush_lock:
        pending = list(
            PushedDossier.objects.filter(merged_at__isnull=True)
            .order_by("id")
            .values_list("id", "received_at", "payload")[:limit]
        )
        if not pending:
            return 0, Diff()
        diff = data.write_rows("dossiers", [_canonical(p) for _, _, p in pending])
        _mark_merged(pending)
        compact_parts()
        return len(pending), diff


def compact_parts() -> list[Compaction]:
    """Merge the small parts of the dossiers and the ratings once more than
    ``CHISO_COMPACT_PARTS`` of a table are small (:func:`chiso_web.data.compact_parts`);
    the compactions done.

    The merge before it is done and marked: a failure here is logged, not raised, and the
    next round tries again.
    """
    done = [data.compact_parts(table) for table in data.COMPACTED_TABLES]
    return [each for each in done if each is not None]


def _mark_merged(pending: list[tuple[int, datetime, Any]]) -> None:
    """Mark the merged rows, except those pushed again meanwhile (their received_at moved:
    the next round merges the newer data)."""
    by_batch: dict[datetime, list[int]] = {}
    for pk, received_at, _ in pending:
        by_batch.setdefault(received_at, []).append(pk)
    now = timezone.now()
    for received_at, ids in by_batch.items():
        for i in range(0, len(ids), CHUNK):
            PushedDossier.objects.filter(
                id__in=ids[i : i + CHUNK], received_at=received_at, merged_at__isnull=True
            ).update(merged_at=now)


_due = threading.Event()  # a push arrived since the last round
_next_look = 0.0  # time.monotonic() of the next look without a push


def flush_due() -> int:
    """The ``inbox`` kind of the job system (a periodic kind of its own lane): merge the
    pending dossiers when a push arrived (after :data:`GATHER_SECONDS`, so the pushes of
    that moment merge together) or :data:`IDLE_SECONDS` passed (what a crash left pending,
    what another process stored); how many were merged."""
    global _next_look
    pushed = _due.is_set()
    if not pushed and time.monotonic() < _next_look:
        return 0
    _due.clear()
    _next_look = time.monotonic() + IDLE_SECONDS
    if pushed:
        time.sleep(GATHER_SECONDS)
    try:
        merged, _ = flush_pending()
    except Exception:  # the dossiers stay pending; the next round tries again
        log.exception("merging pushed dossiers failed")
        return 0
    if merged >= FLUSH_LIMIT:
        _due.set()  # more are waiting
        loop.wake("inbox")
    return merged


def kick() -> bool:
    """After a push: wake the worker's ``inbox`` lane, or merge now when no worker runs
    in this process; True if merged."""
    if settings.CHISO["CHISO_WORKER"]:
        _due.set()
        loop.wake("inbox")
        return False
    flush_pending()
    return True
