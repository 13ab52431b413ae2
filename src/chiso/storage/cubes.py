"""Stored partial aggregates ("cubes"): a grouped scan kept per Parquet part.

The grouped scan of :mod:`chiso.engine.partial_scan` sums rows: counts and integer
sums per unit and boundary codes.  The parts of a chunked table
(``dossiers/*.parquet``) hold disjoint keys (an import rewrites the parts whose
keys it replaces and adds a new part), so a table's grouped scan is the sum of
its parts'.  A *cube* is that scan for one query, one row group per part,
stored under ``<folder>/.chiso-cache/cubes/<query>.parquet`` (the folder's state)
and kept in the process's one cache (:data:`chiso.storage.cache.CACHE`), with its
last table-wide sum (reused while the parts are the same).  A later run of the
same query scans only the parts that are new or were rewritten since and drops the
rows of parts that are gone: the incremental maintenance of ``docs/architecture.md``
§4.  Data that did not change is not scanned at all.

The query identity (:func:`query_key`) covers everything the scan depends on
besides the part itself: the plan's codes and partial aggregates, the periods
(their boundaries), the units and the pooling closure, the procedure
competence, the columns joined in, and the files of the joined tables
(procedures, ratings: a new rating re-scans every part).  A part is known by
name, size, modification time and inode, so a part rewritten in place is a new
part.  Live periods end "now": their queries change each minute, and within
the minute pushed dossiers (new parts) are all that is scanned.

Every engine keeps cubes for a folder (DuckDB reads the parts in place, PostgreSQL
copies the parts it scans, Spark reads them from the folder); the engine is part
of the query identity, so each computes its own.  A cache that cannot be written
(read-only folder) stays in memory; a cube file that cannot be read is recomputed.
``CHISO_CUBES=0`` or ``open_folder(..., cubes=False)`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from chiso.storage.cache import CACHE

__all__ = [
    "CUBES_VARIABLE",
    "CUBE_DIR",
    "STATS",
    "Cubes",
    "clear_memory",
    "part_identity",
    "part_path",
    "query_key",
]

#: The environment variable that turns stored cubes off (``0``).
CUBES_VARIABLE = "CHISO_CUBES"

#: Bumped when the layout of a cube or the meaning of its columns changes.
CUBE_FORMAT = 1
CUBE_DIR = ".chiso-cache/cubes"
PART = "_part"
#: Cube files kept per folder (least recently used beyond this are deleted).
MAX_FILES = 64
#: Parts scanned and reused since the process started (for tests and ``chiso bench``).
STATS: Counter[str] = Counter()
#: The version part of the cache keys of cubes: this and the folder.
_VERSION = "cubes:"


def clear_memory() -> None:
    """Forget the cubes kept in this process (the files stay): as a new process starts."""
    CACHE.drop_where(lambda version: isinstance(version, str) and version.startswith(_VERSION))


def part_identity(path: Path) -> str:
    """A part's name, size, modification time and inode: a rewritten part is a new one."""
    st = path.stat()
    return f"{path.name}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"


def query_key(*parts: object) -> str:
    """The identity of a grouped query (``repr`` of its ingredients, hashed)."""
    text = repr((CUBE_FORMAT, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Cubes:
    """The cube cache of one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder / CUBE_DIR

    def grouped(
        self,
        key: str,
        parts: Sequence[Path],
        scan: Callable[[list[Path]], pa.Table],
        group_keys: Sequence[str],
    ) -> pa.Table:
        """The grouped scan of all ``parts`` for query ``key``.

        Args:
            parts: the table's current Parquet parts.
            scan: the grouped scan of some parts, with a ``_part`` column holding
                each row's part path (keys ``group_keys`` plus ``_part``).
            group_keys: the grouping columns; every other column is summed.
        """
        if not parts:
            raise ValueError("a cube needs at least one part")
        identities = {part_identity(p): p for p in parts}
        signature = frozenset(identities)
        summed: tuple[frozenset[str], pa.Table] | None = CACHE.get(self._key("sum", key))
        if summed is not None and summed[0] == signature:
            STATS["parts_reused"] += len(identities)
            return summed[1]
        cube = self._load(key)
        changed = False
        if cube is not None:
            current = cube.filter(pc.is_in(cube.column(PART), pa.array(list(identities))))
            cube, changed = current, current.num_rows != cube.num_rows
        known = set(cube.column(PART).unique().to_pylist()) if cube is not None else set()
        missing = [path for ident, path in identities.items() if ident not in known]
        STATS["parts_reused"] += len(identities) - len(missing)
        STATS["parts_scanned"] += len(missing)
        if missing:
            names = {str(path): ident for ident, path in identities.items()}
            fresh = _named_parts(scan(missing), missing, names, group_keys)
            cube = fresh if cube is None else pa.concat_tables([cube, fresh.cast(cube.schema)])
            changed = True
        assert cube is not None
        if changed:
            self._save(key, cube)
        result = _sum_parts(cube, group_keys)
        CACHE.put(self._key("sum", key), (signature, result))
        return result

    def _key(self, what: str, key: str) -> tuple[str, str, str]:
        """The cache key of a cube (``what``: "cube") or its last sum ("sum"): the first
        element names the folder's cubes, none of its stores' versions."""
        return (f"{_VERSION}{self.folder}", what, key)

    def _load(self, key: str) -> pa.Table | None:
        found: pa.Table | None = CACHE.get(self._key("cube", key))
        if found is not None:
            return found
        path = self.root / f"{key}.parquet"
        try:
            table = pq.read_table(path)
            os.utime(path)  # recently used: pruned last
        except (OSError, pa.ArrowException):
            return None
        self._remember(key, table)
        return table

    def _save(self, key: str, cube: pa.Table) -> None:
        self._remember(key, cube)
        with contextlib.suppress(OSError):  # read-only folder: the memory copy serves
            self.root.mkdir(parents=True, exist_ok=True)
            path = self.root / f"{key}.parquet"
            tmp = path.with_name(f"{key}.{os.getpid()}.{threading.get_ident()}.tmp")
            pq.write_table(cube, tmp)
            os.replace(tmp, path)
            self._prune()

    def _remember(self, key: str, cube: pa.Table) -> None:
        CACHE.put(self._key("cube", key), cube)

    def _prune(self) -> None:
        files = sorted(self.root.glob("*.parquet"), key=lambda p: p.stat().st_mtime_ns)
        for old in files[:-MAX_FILES]:
            with contextlib.suppress(OSError):
                old.unlink()


def part_path(name: str) -> str:
    """A part's path as an engine names it: as given (DuckDB, PostgreSQL), or from
    Spark's ``file:`` URI (``file:/tmp/a%20b.parquet`` → ``/tmp/a b.parquet``)."""
    if not name.startswith("file:"):
        return name
    return "/" + unquote(name.removeprefix("file:")).lstrip("/")


def _named_parts(
    scanned: pa.Table, parts: Sequence[Path], names: dict[str, str], group_keys: Sequence[str]
) -> pa.Table:
    """Each row's part path replaced by the part's identity, aggregates as int64, and a
    marker row (null keys, zero sums) for every scanned part: a part none of whose rows
    count is still known as scanned.

    (DuckDB sums integers as HUGEINT, which reaches Arrow as a decimal.)
    """
    paths = [part_path(p) for p in scanned.column(PART).to_pylist()]
    paths += [str(path) for path in parts]
    markers = len(parts)
    columns: dict[str, pa.Array] = {}
    for name in scanned.column_names:
        column = scanned.column(name).combine_chunks()
        if name == PART:
            columns[name] = pa.array([names[p] for p in paths], type=pa.string())
        elif name in group_keys:
            columns[name] = pa.concat_arrays([column, pa.nulls(markers, column.type)])
        else:
            counts = pc.cast(column.fill_null(0), pa.int64())
            columns[name] = pa.concat_arrays([counts, pa.array([0] * markers, pa.int64())])
    return pa.table(columns)


def _sum_parts(cube: pa.Table, group_keys: Sequence[str]) -> pa.Table:
    """Sum the parts' rows per group (the table-wide grouped scan)."""
    sums = [c for c in cube.column_names if c not in (*group_keys, PART)]
    cube = cube.filter(pc.is_valid(cube.column(group_keys[0]))).drop_columns([PART])
    if cube.num_rows == 0:
        return cube
    out = cube.group_by(list(group_keys), use_threads=False).aggregate([(c, "sum") for c in sums])
    names = [
        c.removesuffix("_sum") if c.removesuffix("_sum") in sums else c for c in out.column_names
    ]
    return out.rename_columns(names)
