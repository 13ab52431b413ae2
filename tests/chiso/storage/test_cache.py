"""The process's one cache (ADR 0010): bounded, keyed by data version, a store's entries
leave with it."""

from __future__ import annotations

import csv
import threading
from datetime import datetime
from pathlib import Path

import pytest

from chiso.domain.records import TABLES
from chiso.storage.cache import CACHE, Cache
from chiso.storage.cut import as_it_stood
from chiso.storage.store import open_folder
from chiso.storage.unitdata import tree_of


def test_the_least_recently_used_leave_beyond_the_size() -> None:
    cache = Cache(size=2)
    cache.put(("v1", "a"), 1)
    cache.put(("v1", "b"), 2)
    assert cache.get(("v1", "a")) == 1  # now the most recently used
    cache.put(("v2", "c"), 3)
    assert (cache.get(("v1", "a")), cache.get(("v1", "b")), cache.get(("v2", "c"))) == (1, None, 3)
    assert len(cache) == 2


def test_a_value_is_computed_once_per_key() -> None:
    cache = Cache()
    calls: list[int] = []
    for _ in range(3):
        assert cache.value(("v", "q"), lambda: calls.append(1) or 42) == 42
    assert calls == [1]


def test_dropping_a_version_keeps_the_others() -> None:
    cache = Cache()
    cache.put(("v1", "a"), 1)
    cache.put(("v2", "a"), 2)
    cache.drop("v1")
    assert (cache.get(("v1", "a")), cache.get(("v2", "a"))) == (None, 2)


def _folder(tmp_path: Path) -> Path:
    for table, rows in (
        ("units", [{"unit_code": "T", "name": "Tỉnh Thử", "kind": "tinh",
                    "valid_from": "2020-01-01"}]),
        ("dossiers", []),
    ):  # fmt: skip
        with (tmp_path / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, list(TABLES[table]))
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path


def test_a_closed_store_takes_its_entries_with_it(tmp_path: Path) -> None:
    store = open_folder(_folder(tmp_path))
    tree = tree_of(store)
    cut = as_it_stood(store, datetime(2026, 1, 1))
    assert CACHE.get((store.version, "units-tree")) is tree
    assert as_it_stood(store, datetime(2026, 1, 1)) is cut
    assert as_it_stood(cut, datetime(2026, 2, 1)) is cut  # a cut of a cut: the earlier
    assert cut.version == store.version  # a derived store's entries are its base's
    store.close()
    assert CACHE.get((store.version, "units-tree")) is None
    assert all(key[0] != store.version for key in list(CACHE._entries))
    again = open_folder(tmp_path)
    assert again.version != store.version
    assert tree_of(again) is tree  # the units files did not change: the same tree


def test_once_makes_a_second_thread_wait_for_the_first_ones_value() -> None:
    cache = Cache()
    computing, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> int:
        calls.append("first")
        computing.set()
        assert release.wait(60)
        return 42

    first = threading.Thread(target=lambda: cache.once(("v", "q"), slow))
    first.start()
    assert computing.wait(60)
    got: list[int] = []
    second = threading.Thread(
        target=lambda: got.append(cache.once(("v", "q"), lambda: calls.append("second") or 0))
    )
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first thread's value, not computing its own
    release.set()
    first.join(60)
    second.join(60)
    assert got == [42] and calls == ["first"]


def test_once_computes_again_when_the_first_computation_failed() -> None:
    cache = Cache()

    def fail() -> int:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.once(("v", "q"), fail)
    assert cache.once(("v", "q"), lambda: 7) == 7
