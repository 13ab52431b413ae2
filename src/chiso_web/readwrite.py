"""One data source's read/write lock: reads pass together, a write passes alone.

The data service (``chiso_web.data``) holds one per data source.  Three kinds of holder:

* a **read** — a request, or the worker's background warming, reading the shared store
  (each thread on its own DuckDB cursor, :class:`chiso.storage.store.Store`);
* a **snapshot read** — a report job reading a private store for minutes;
* a **write** — an import, a push flush, a rating, a compaction: it waits until every
  read and snapshot read under way is done, and none starts while it runs.  Writes
  exclude each other.

A waiting write stops new snapshot reads at once, but lets short reads go on until the
snapshots under way are done (the dashboard is served while a report finishes); then
it stops new reads too and waits for those under way — a stream of requests or of
reports cannot starve it.  A **swap** (``writing(snapshots=False)``: the service
re-opening its shared store after the data changed) waits for the reads only: no
snapshot reads the shared store.

Re-entrant per thread: a thread that reads may read again (never waiting for a write
that waits for it), the writing thread may read and write again.  A thread holding a read
must not start a write, nor one holding a snapshot a data write (each would wait for
itself): :class:`RuntimeError` at once instead of a deadlock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ReadWriteLock"]


class _Held(threading.local):
    """What the current thread holds of one lock."""

    reads = 0  # nested reads (the first one counted by the lock)
    snapshots = 0  # nested snapshot reads (ditto)


class ReadWriteLock:
    """Reads together, writes alone; a waiting write stops new reads (see the module)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._reads = 0  # threads reading (short reads)
        self._snapshots = 0  # threads holding a snapshot read
        self._waiting = 0  # writes (and swaps) waiting
        self._draining = False  # a write waits for the last reads: no new read starts
        self._writer: int | None = None  # the writing thread
        self._held = _Held()

    def wait_for_writers(self, count: int, timeout: float) -> bool:
        """Block until ``count`` writes wait or run (tests order threads with it)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._waiting + (self._writer is not None) >= count, timeout
            )

    def wait_for_readers(self, count: int, timeout: float) -> bool:
        """Block until ``count`` threads read at once (tests order threads with it)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._reads >= count, timeout)

    @property
    def reading_here(self) -> bool:
        """Whether this thread holds a read (a snapshot read does not count)."""
        return bool(self._held.reads)

    @property
    def writing_here(self) -> bool:
        """Whether this thread holds the write."""
        return self._writer == threading.get_ident()

    @contextmanager
    def reading(self, *, snapshot: bool = False) -> Iterator[None]:
        """Hold a read (``snapshot``: a long one on a private store): no write runs until
        it is released."""
        held = self._held
        # a read inside a read or a write passes: this thread already keeps the writes out
        # (a snapshot's private store needs no more; a read of the shared store inside a
        # snapshot is counted, for the swaps wait for reads only)
        if self.writing_here or held.reads or (snapshot and held.snapshots):
            yield
            return

        def free() -> bool:
            if self._writer is not None or self._draining:
                return False
            return not (snapshot and self._waiting)

        with self._changed:
            self._changed.wait_for(free)
            if snapshot:
                self._snapshots += 1
            else:
                self._reads += 1
            self._changed.notify_all()
        if snapshot:
            held.snapshots += 1
        else:
            held.reads += 1
        try:
            yield
        finally:
            with self._changed:
                if snapshot:
                    held.snapshots -= 1
                    self._snapshots -= 1
                else:
                    held.reads -= 1
                    self._reads -= 1
                self._changed.notify_all()

    @contextmanager
    def writing(self, *, snapshots: bool = True) -> Iterator[None]:
        """Hold the write: every read under way has ended (and every snapshot read, unless
        ``snapshots`` is false: a swap of the shared store) and no new one starts."""
        if self.writing_here:
            yield
            return
        if self._held.reads or (snapshots and self._held.snapshots):
            raise RuntimeError("a thread holding a read cannot write: it would wait for itself")
        with self._changed:
            self._waiting += 1
            self._changed.notify_all()
            draining = False
            try:
                self._changed.wait_for(
                    lambda: (
                        self._writer is None
                        and not self._draining
                        and not (snapshots and self._snapshots)
                    )
                )
                self._draining = draining = True
                self._changed.notify_all()
                self._changed.wait_for(lambda: not self._reads)
            finally:
                if draining:
                    self._draining = False
                self._waiting -= 1
                self._changed.notify_all()
            self._writer = threading.get_ident()
        try:
            yield
        finally:
            with self._changed:
                self._writer = None
                self._changed.notify_all()
