"""The process's one cache of values derived from the data (ADR 0010).

Every entry is keyed by ``(version, *query)``: the *version* names the data the value was
derived from and the *query* what was derived.  A version is either an opened store's
:attr:`chiso.storage.store.Store.version` (the data it reads is fixed when it is opened:
its scores, its unit tree, its cut views, its forecasts) or a content identity that
outlives stores (a folder's ``units`` files, a cube's parts).  A store's entries go with
it (:meth:`Cache.drop` when it is closed); the rest leave as the least recently used once
:data:`SIZE` entries are kept.

The cache's mutex is a leaf: it is held only for a dictionary operation, never while a
value is computed, so it cannot take part in a deadlock.  Computing a value twice when
two threads miss at once is allowed by :meth:`Cache.value` (the values are equal);
:meth:`Cache.once` makes the second thread wait for the first's value instead (the site's
reads run together: fifty requests missing a score compute it once).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["CACHE", "SIZE", "Cache"]

T = TypeVar("T")
#: Entries kept in the process (scores, unit trees, cut views, forecasts, cubes).
SIZE = 256
_MISSING = object()


class Cache:
    """A bounded, thread-safe LRU map of ``(version, *query)`` → value."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
        self._mutex = threading.Lock()
        self._computing: dict[tuple[Hashable, ...], threading.Event] = {}

    def get(self, key: tuple[Hashable, ...], default: Any = None) -> Any:
        """The value kept for ``key`` (made the most recently used), else ``default``."""
        with self._mutex:
            found = self._entries.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[Hashable, ...], value: T) -> T:
        """Keep ``value`` for ``key`` as the most recently used; the oldest beyond
        :attr:`size` leave."""
        with self._mutex:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def value(self, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """The value kept for ``key``, computed (outside the mutex) and kept when absent."""
        found = self.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[no-any-return]  # kept by value(): a T
        return self.put(key, compute())

    def once(self, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """:meth:`value`, computed by one thread at a time: a thread missing ``key`` while
        another computes it waits for that value (and computes it itself if that one
        failed).  ``compute`` must not ask for ``key`` again."""
        while True:
            with self._mutex:
                found = self._entries.get(key, _MISSING)
                if found is not _MISSING:
                    self._entries.move_to_end(key)
                    return found  # type: ignore[no-any-return]  # kept by once(): a T
                running = self._computing.get(key)
                if running is None:
                    done = self._computing[key] = threading.Event()
                    break
            running.wait()
        try:
            return self.put(key, compute())
        finally:
            with self._mutex:
                del self._computing[key]
            done.set()

    def drop(self, version: Hashable) -> None:
        """Forget every entry of data ``version`` (a store being closed)."""
        self.drop_where(lambda v: v == version)

    def drop_where(self, test: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose version passes ``test``."""
        with self._mutex:
            for key in [k for k in self._entries if test(k[0])]:
                del self._entries[key]

    def clear(self) -> None:
        """Forget everything (as a new process starts)."""
        with self._mutex:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


#: The process's one cache.
CACHE = Cache()
