"""A store read from several threads at once: each thread on its own DuckDB connection of
the same database (a cursor), which sees the tables another thread read first."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from chiso.storage.store import open_folder


def _count(store: Any, table: str) -> int:
    return int(store.to_pyarrow(store.table(table).count().as_table()).column(0)[0].as_py())


def test_each_thread_reads_on_its_own_cursor_of_the_same_database(province: Path) -> None:
    store = open_folder(province, cubes=False)
    here = _count(store, "dossiers")  # this thread opens the connection and reads the table
    seen: dict[str, Any] = {}

    def elsewhere() -> None:
        seen["con"] = store.con
        seen["dossiers"] = _count(store, "dossiers")  # the view read by the first thread
        seen["units"] = _count(store, "units")  # a table this thread reads first

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(60)
    assert seen["con"] is not store.con  # a cursor, not the opener's connection
    assert seen["dossiers"] == here == 600
    assert seen["units"] == _count(store, "units") > 0  # ... and back in the first thread
    store.close()
    assert not store._cursors
