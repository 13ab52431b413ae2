"""A gate between long reads and writes: either reads or writes pass, never both.

The data service (``chiso_web.data``) lets a report job read a private store outside its
lock; this gate keeps such reads and the writes apart.  A write waits until the reads
under way are done, and new reads wait while a write waits or runs (a stream of reports
cannot starve the writes).  Writes do not exclude each other here — the service's lock
serialises them — so a writer that already holds that lock (an import checks its scope
under it, then writes) cannot deadlock with one that holds the gate and waits for it.

A thread holding a read must not start a write (it would wait for itself).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadWriteGate:
    """Reads pass together, writes pass together; a waiting write stops new reads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writers = 0  # waiting or writing

    def wait_for_writers(self, count: int, timeout: float) -> bool:
        """Block until ``count`` writes wait or run (tests order threads with it)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._writers >= count, timeout)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold a read: no write starts until it is released."""
        with self._changed:
            self._changed.wait_for(lambda: not self._writers)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold a write: every read under way has ended and no new one starts."""
        with self._changed:
            self._writers += 1
            self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: not self._readers)
            except BaseException:
                self._writers -= 1
                self._changed.notify_all()
                raise
        try:
            yield
        finally:
            with self._changed:
                self._writers -= 1
                self._changed.notify_all()
