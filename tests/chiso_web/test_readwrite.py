"""The data source's read/write lock with real threads (ordered by events, not sleeps)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from chiso_web.readwrite import ReadWriteLock

GUARD = 60.0  # seconds: only turns a deadlock into a failure, never waited for when it works


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        work()
        done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def _hold(held: AbstractContextManager[None]) -> None:
    with held:
        pass


def test_reads_go_on_while_a_write_waits_for_a_snapshot_then_the_write_runs_alone() -> None:
    lock = ReadWriteLock()
    release, wrote = threading.Event(), threading.Event()

    def snapshot() -> None:
        with lock.reading(snapshot=True):
            release.wait(GUARD)

    def write() -> None:
        with lock.writing():
            wrote.set()

    reporter, _ = _in_thread(snapshot)
    assert not lock.wait_for_writers(1, 0)
    writer, _ = _in_thread(write)
    assert lock.wait_for_writers(1, GUARD)
    reading, done_reading = threading.Event(), threading.Event()

    def read() -> None:
        with lock.reading():
            reading.set()
            done_reading.wait(GUARD)

    reader, _ = _in_thread(read)
    assert reading.wait(GUARD), "a read waited for a write that waits for a snapshot"
    _, second_snapshot = _in_thread(lambda: _hold(lock.reading(snapshot=True)))
    assert not second_snapshot.wait(0.1), "a new snapshot passed a waiting write"
    release.set()
    reporter.join(GUARD)
    assert not wrote.wait(0.1), "the write ran during a read"
    done_reading.set()
    assert wrote.wait(GUARD)
    reader.join(GUARD)
    writer.join(GUARD)


def test_a_swap_does_not_wait_for_snapshots_and_a_read_cannot_write() -> None:
    lock = ReadWriteLock()
    release = threading.Event()

    def snapshot() -> None:
        with lock.reading(snapshot=True):
            release.wait(GUARD)

    reporter, _ = _in_thread(snapshot)

    def swap() -> None:
        with lock.writing(snapshots=False):
            pass

    _, swapped = _in_thread(swap)
    assert swapped.wait(GUARD)
    with lock.reading(), lock.reading(), pytest.raises(RuntimeError), lock.writing():
        pass  # a read is re-entrant; a write inside it is refused
    release.set()
    reporter.join(GUARD)
    with lock.writing(), lock.writing(), lock.reading():  # the writer reads and writes again
        pass
