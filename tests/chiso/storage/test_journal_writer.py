"""The folder writer lock: re-entrant in a thread, exclusive across threads and processes."""

from __future__ import annotations

import threading
from pathlib import Path

from chiso.storage.journal import writer
from folder_lock import free_for_another_process


def test_a_thread_may_take_the_folder_again_while_holding_it(tmp_path: Path) -> None:
    reached = threading.Event()

    def nested() -> None:
        with writer(tmp_path), writer(tmp_path):
            assert not free_for_another_process(tmp_path)
            reached.set()
        assert free_for_another_process(tmp_path)

    thread = threading.Thread(target=nested, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert reached.is_set()
    assert free_for_another_process(tmp_path)


def test_the_inner_release_keeps_the_folder_held(tmp_path: Path) -> None:
    with writer(tmp_path):
        with writer(tmp_path):
            pass
        assert not free_for_another_process(tmp_path)


def test_another_thread_waits_for_the_outer_release(tmp_path: Path) -> None:
    entered = threading.Event()

    def other() -> None:
        with writer(tmp_path):
            entered.set()

    with writer(tmp_path):
        thread = threading.Thread(target=other, daemon=True)
        with writer(tmp_path):
            thread.start()
        assert not entered.wait(0.5)
    thread.join(timeout=60)
    assert entered.is_set()
