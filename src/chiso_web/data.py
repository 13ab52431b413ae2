"""The site's one door to the canonical data: shared store, cached scores, one lock.

All engine work of the web process goes through :data:`service` (one per process), under
its data source's one read/write lock (:class:`chiso_web.readwrite.ReadWriteLock`):

* reads run together, each thread on its own DuckDB cursor of the shared store
  (:attr:`chiso.storage.store.Store.con`); they re-open the store when the data changed
  (a folder's file signature, looked at most every :data:`CHECK_SECONDS`, or the
  service's own write counter for database URLs, refreshed at least every minute) — a
  swap that waits for the reads of the old store; the service's own writes are seen at
  once;
* scores are kept in the library's one cache (:data:`chiso.storage.cache.CACHE`, ADR
  0010) under (the open store's version, index set, period, level), computed once when
  several threads ask at once — a ranking page or its JSON twin costs a dictionary lookup
  until the data changes, without the lock while the version was checked within
  :data:`CHECK_SECONDS`; a store that is closed (re-opened after a change, or for a
  write) takes its entries with it;
* writes (uploads, pushed dossiers, ratings) run alone, after the reads under way, so no
  query reads a file while an import replaces it (DuckDB allows one writer per file);
* long work (a report job) reads a private store (:meth:`DataService.snapshot`) as a
  snapshot read: the dashboard is served meanwhile, even by a write waiting for it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext

from chiso.api import (
    CACHE,
    TABLES,
    Compaction,
    DataSource,
    Diff,
    Explanation,
    IndexSet,
    Level,
    Period,
    ResultSet,
    Store,
    UnitTree,
    compact_table,
    count_small_parts,
    explain,
    load_index_set,
    parse_period,
    score_one,
    shipped_ids,
    table_files,
    tree_of,
)
from chiso.api import folder_writer as writer
from chiso.api import now as clock_now
from chiso.api import write_rows as _write_rows
from chiso.errors import UserError
from chiso_web.first_steps import NoDataError, has_dossiers
from chiso_web.readwrite import ReadWriteLock

T = TypeVar("T")
log = logging.getLogger(__name__)
URL_REFRESH_SECONDS = 60.0
#: Reads look at a folder's file signature at most this often (files changed by another
#: process are seen this much later; the service's own writes at once).
CHECK_SECONDS = 0.25
_MISSING = object()


def now() -> datetime:
    """The site's local clock: :func:`chiso.domain.clock.now` at the ``CHISO_NOW`` setting.

    The settings were read from the environment once at start (a test may change them), so
    the environment is not looked at again; without the setting it is the real clock, to
    the whole minute.
    """
    fixed: datetime | None = settings.CHISO["CHISO_NOW"]
    return clock_now(fixed, environ={})


def folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the canonical table files of ``folder``."""
    out: list[tuple[str, int, int]] = []
    for table in TABLES:
        found = table_files(folder, table)
        for path in found[1] if found is not None else ():
            try:
                st = os.stat(path)
            except FileNotFoundError:  # replaced while we looked: the next look sees it
                continue
            out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


class DataService:
    """Shared store, score cache and read/write lock of one data source."""

    def __init__(self, source: str) -> None:
        self.source = source
        #: The data source's one lock: reads together, writes alone (``chiso_web.readwrite``).
        self.lock = ReadWriteLock()
        self._store: Store | None = None
        self._version: object = None
        self._writes = 0  # the service's writes, for a database URL's version
        self._checked = 0.0  # time.monotonic() of the last version check
        self._tag = ""  # version_tag() of self._version

    @functools.cached_property
    def data_source(self) -> DataSource:
        """The source as the library takes it, parsed once (on first use, so a source that
        is not one is refused where the site first reads it)."""
        return DataSource.parse(self.source)

    @property
    def is_folder(self) -> bool:
        """Whether the source is a folder of canonical files (not a database URL)."""
        return self.data_source.is_folder

    def _current_version(self) -> object:
        """A folder's file signature; for a database URL, the site's own write count and
        the current refresh window (other writers are seen within a minute)."""
        if self.is_folder:
            return folder_signature(Path(self.source))
        return (self._writes, int(time.monotonic() // URL_REFRESH_SECONDS))

    def data_version(self) -> object:
        """The data's version looked at now (not the cached look): a folder's file
        signature, for a database URL the site's write count and refresh window.  Equal
        values before and after some work mean no write was seen in between."""
        return self._current_version()

    def _checked_recently(self) -> bool:
        return self._store is not None and time.monotonic() - self._checked < CHECK_SECONDS

    def _refresh(self) -> None:
        """Re-open the shared store when the data changed: a swap, which waits for the
        reads of the old store to end (not for snapshots: they read their own).  Inside a
        read, nothing: a read sees one store from start to end."""
        if self._checked_recently() or self.lock.reading_here:
            return
        version = self._current_version()
        if self._store is not None and version == self._version:
            self._checked = time.monotonic()
            return
        with self.lock.writing(snapshots=False):
            version = self._current_version()
            if self._store is None or version != self._version:
                if self._store is not None:
                    self._store.close()
                    self._store = None
                self._store = self._open_source()
                self._version = version
                digest = hashlib.sha1(repr(version).encode(), usedforsecurity=False)
                self._tag = digest.hexdigest()[:12]
            self._checked = time.monotonic()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Hold a read of the shared store (re-opened first when the data changed): other
        reads run meanwhile, each thread on its own DuckDB cursor; no write starts until
        it is released."""
        while True:
            self._refresh()
            with self.lock.reading():
                store = self._store
                if store is not None:
                    yield store
                    return
            if self.lock.reading_here:  # an outer read took no store: cannot swap one in
                raise RuntimeError("a read of the shared store inside a bare lock read")
            # a write closed the store between the look and the read: look again

    def _open_source(self) -> Store:
        source = self.data_source
        if source.is_folder and not has_dossiers(self.source):
            raise NoDataError(self.source)
        return source.open()

    def cached(self, key: tuple[Any, ...], compute: Callable[[Store], T]) -> T:
        """``compute(store)`` once per data version and ``key`` (a second thread that
        asks meanwhile waits for the first's value, :meth:`chiso.storage.cache.Cache.once`)."""
        current = self._store
        if current is not None and self._checked_recently():  # the common case: no lock
            found = CACHE.get((current.version, *key), _MISSING)
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]  # stored by compute: a T
        with self.reading() as store:
            return CACHE.once((store.version, *key), lambda: compute(store))

    def kept(self, store: Store, key: tuple[Any, ...]) -> Any:
        """What :meth:`cached` keeps for ``key`` at ``store``'s data version, else None;
        never computes (a computation that can start from another's result reads it)."""
        return CACHE.get((store.version, *key), None)

    def version_tag(self) -> str:
        """A short tag of the data version (ETag, cache keys of pages)."""
        self._refresh()
        return self._tag

    def tree(self) -> UnitTree:
        """The unit tree of the data (the shipped Điện Biên tree when no units table)."""
        return self.cached(("tree",), tree_of)

    def results(self, index_set: IndexSet, period: Period, level: str = "all") -> ResultSet:
        """Scored, ranked results (cached until the data changes)."""
        key = ("results", index_set.id, period.code, period.as_of, level)
        return self.cached(key, lambda s: score_one(s, index_set, period, level=Level.parse(level)))

    def explain(
        self,
        index_set: IndexSet,
        period: Period,
        unit_code: str,
        indicator: str,
        limit: int,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Explanation:
        """Records behind one indicator, those ``keep`` keeps (not cached: drill-down is
        rare)."""
        with self.reading() as store:
            return explain(store, index_set, period, unit_code, indicator, limit=limit, keep=keep)

    def query(self, run: Callable[[Store], T]) -> T:
        """Run ``run(store)`` under a read (uncached)."""
        with self.reading() as store:
            return run(store)

    def compact(self, table: str, *, above: int) -> Compaction | None:
        """Merge the small parts of ``table`` when more than ``above`` are small.

        Only a data folder has parts (None for a database URL, or when there are not that
        many).  It runs as a write: under the lock, the store closed and re-opened after,
        so no read sees the folder between the journal's renames and deletions.
        """
        if not self.is_folder or count_small_parts(Path(self.source), table) <= above:
            return None
        with self.writing() as source:
            return compact_table(Path(source), table)

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """A private store of the data for long engine work (a report job), held as a
        snapshot read of :attr:`lock`: dashboard reads go on meanwhile on the shared store,
        no one else uses or replaces this one, and writes wait until it is closed (no file
        is replaced under it)."""
        with self.lock.reading(snapshot=True):
            store = self._open_source()
            try:
                yield store
            finally:
                store.close()

    def folder_writer(self) -> AbstractContextManager[None]:
        """The data folder's writer ``flock`` (``chiso.storage.journal.writer``; re-entrant in
        a thread); nothing for a database URL.  Taken before :attr:`lock`, never inside it."""
        return writer(Path(self.source)) if self.is_folder else nullcontext()

    def forget(self) -> None:
        """Another process (a worker's child) may have written the data: the next read
        re-opens the store and recomputes the scores."""
        self._writes += 1  # racing a write's increment, one of two is enough: it changed
        self._version = None
        self._checked = 0.0

    @contextmanager
    def writing(self) -> Iterator[str]:
        """Hold the write for ``source``; scores are recomputed after it.

        The write first becomes the folder's writer (another process's import or
        compaction, or an upload's dry-run comparison, may hold it), then takes the write
        side of :attr:`lock`: it waits for the snapshots under way while pages are still
        served, then for the reads under way; the shared store is closed meanwhile.
        """
        with self.folder_writer(), self.lock.writing():
            if self._store is not None:
                self._store.close()
                self._store = None
            try:
                yield self.source
            finally:
                self._writes += 1
                self._version = None
                self._checked = 0.0


_services: dict[str, DataService] = {}
_services_lock = threading.Lock()


def service() -> DataService:
    """The process's data service for ``CHISO_DATA``."""
    source = settings.CHISO["CHISO_DATA"]
    with _services_lock:
        if source not in _services:
            _services[source] = DataService(source)
        return _services[source]


def stored_dossier(code: str) -> dict[str, Any] | None:
    """The dossier ``code`` as the data holds it (canonical columns), or None."""

    def find(store: Store) -> list[dict[str, Any]]:
        dossiers = store.table("dossiers")
        rows: list[dict[str, Any]] = store.to_pyarrow(
            dossiers.filter(dossiers.dossier_code == code).limit(1)
        ).to_pylist()
        return rows

    found = service().query(find)
    return found[0] if found else None


def index_set_id(code: str | None = None, *, hint: str | None = None) -> str:
    """A shipped index-set id from user input (default ``CHISO_INDEX_SET``).

    Raises:
        UserError: no shipped index set has this id (``hint`` replaces the list of ids).
    """
    chosen = code or settings.CHISO["CHISO_INDEX_SET"]
    if chosen not in index_set_ids():
        raise UserError(
            gettext("No index set “%(code)s”.") % {"code": chosen},
            hint=hint
            or gettext("Choose an available index set: %(codes)s.")
            % {"codes": ", ".join(index_set_ids())},
        )
    return chosen


def index_set(code: str | None = None) -> IndexSet:
    """A shipped index set (default ``CHISO_INDEX_SET``), parsed once per process."""
    return _load_index_set(index_set_id(code))


@functools.lru_cache(maxsize=16)
def _load_index_set(code: str) -> IndexSet:
    return load_index_set(code)


def index_set_ids() -> list[str]:
    """Ids of the shipped index sets."""
    return shipped_ids()


def index_set_choices() -> list[tuple[str, str]]:
    """The shipped index sets as ``(id, short label)`` for menus: people read names."""
    return [(code, index_set(code).short_label) for code in shipped_ids()]


def default_period() -> Period:
    """The current month to date on the site's clock."""
    return parse_period(now().strftime("%Y-%m"), now=now())


def period(text: str | None) -> Period:
    """A period from a query parameter (default: the current month to date)."""
    if not text:
        return default_period()
    return parse_period(text, now=now())


def write_rows(table: str, rows: list[dict[str, Any]], **kwargs: Any) -> Diff:
    """Merge canonical ``rows`` into ``table`` of the site's data (serialised, all or nothing)."""
    with service().writing() as source:
        return _write_rows(source, table, rows, **kwargs)


#: The tables whose parts the site's own merges multiply: pushed dossiers, ratings.
COMPACTED_TABLES = ("dossiers", "ratings")


def compact_parts(table: str) -> Compaction | None:
    """Merge the small parts of ``table`` once more than ``CHISO_COMPACT_PARTS`` are small
    (each merge adds one; every query opens them all); None when nothing was due.

    Called after a write that is already done: a failure is logged, not raised, and the
    next write tries again.
    """
    try:
        done = service().compact(table, above=settings.CHISO["CHISO_COMPACT_PARTS"])
    except Exception:
        log.exception("compacting the parts of %s failed", table)
        return None
    if done is not None:
        log.info("%s", done.summary())
    return done
