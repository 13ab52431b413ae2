"""The durable inbox of pushed dossiers and the flusher that merges it into the data.

A push is answered as soon as its validated dossiers are stored in the site database
(one transaction, :class:`~chiso_web.api.models.PushedDossier`, unique by dossier code).
The flusher then merges every pending dossier into the canonical data with *one*
:func:`chiso_web.data.write_rows` per round and marks them merged.  Merging is by key and
idempotent, so a crash between the merge and the marking only costs a no-op re-merge.

With ``CHISO_WORKER`` on (``chiso serve``) the flusher is a thread of the web process,
woken by each push and at least every :data:`IDLE_SECONDS`; otherwise (tests, a
worker-less deployment) each push flushes before it is answered.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, transaction
from django.utils import timezone

from chiso.domain.records import TABLES, ColumnType
from chiso.ingest.compact import Compaction
from chiso.ingest.targets import Diff
from chiso_web import data
from chiso_web.api.models import PushedDossier

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


class Flusher:
    """The background thread that merges pending dossiers soon after they arrive."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="chiso-api-flusher", daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(IDLE_SECONDS)
            self.wake.clear()
            if self.stop.wait(GATHER_SECONDS):
                break
            try:
                merged, _ = flush_pending()
                if merged >= FLUSH_LIMIT:
                    self.wake.set()  # more are waiting
            except Exception:  # the dossiers stay pending; the next round tries again
                log.exception("merging pushed dossiers failed")
            finally:
                close_old_connections()

    def close(self) -> None:
        """Stop after the current round."""
        self.stop.set()
        self.wake.set()
        self.thread.join(timeout=60)


_flusher: Flusher | None = None
_flusher_lock = threading.Lock()


def start_thread() -> Callable[[], None]:
    """Start the process's flusher (once); return its stop function."""
    global _flusher
    with _flusher_lock:
        if _flusher is None or not _flusher.thread.is_alive():
            _flusher = Flusher()
            _flusher.thread.start()
        return _flusher.close


def kick() -> bool:
    """After a push: wake the flusher, or merge now when no flusher runs; True if merged."""
    if settings.CHISO["CHISO_WORKER"]:
        start_thread()
        assert _flusher is not None
        _flusher.wake.set()
        return False
    flush_pending()
    return True
