"""An ordered map over a thread pool, a bounded number of items ahead.

An import reads a file in one thread and converts its blocks in others: the work of a
block is mostly Arrow and NumPy kernels, which release the GIL, so two blocks are
converted at once on two cores.  The results come back in the items' order (the rows,
their problems and the staged parts are the same as one block after another), and at
most ``ahead`` items are held beyond the one being consumed, so memory stays bounded by
a few blocks whatever the file's size.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import copy_context
from typing import Generic, TypeVar

__all__ = ["WORKERS", "Sink", "ordered_map", "worker_pool"]

T = TypeVar("T")
R = TypeVar("R")

#: Threads converting blocks: one per core, at most four (each holds a block).
WORKERS = max(1, min(os.cpu_count() or 1, 4))


def worker_pool() -> ThreadPoolExecutor:
    """A pool of :data:`WORKERS` threads for :func:`ordered_map`."""
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="chiso-import")


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], pool: ThreadPoolExecutor, *, ahead: int = WORKERS
) -> Iterator[R]:
    """``fn`` of each item, run in ``pool``, yielded in the items' order.

    Up to ``ahead`` items are submitted before the first result is waited for.  Each call
    runs in a copy of the caller's context (the chosen language of messages).  An error
    of ``fn`` is raised where its result is yielded; items not yet started are then
    cancelled.
    """
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(copy_context().run, fn, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


class Sink(Generic[T]):
    """Items passed to ``write`` in their order, in a thread of its own, one at a time.

    :meth:`put` waits for the previous item's write (so at most one item waits while
    another is written) and raises its error; :meth:`finish` waits for the last.
    """

    def __init__(self, write: Callable[[T], object]) -> None:
        """A sink writing with ``write``."""
        self._write = write
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chiso-write")
        self._last: Future[object] | None = None

    def put(self, item: T) -> None:
        """Write ``item`` after the items put before it."""
        self.finish()
        self._last = self._pool.submit(copy_context().run, self._write, item)

    def finish(self) -> None:
        """Wait for every item put to be written (raising a write's error)."""
        last, self._last = self._last, None
        if last is not None:
            last.result()

    def close(self) -> None:
        """Stop the writing thread (after the write in progress, if any)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
