"""Apply staged rows to a data folder or a database, all or nothing, idempotently.

Rows replace stored rows with the same key (an updated export updates status and
dates) and are added otherwise.  The staged rows of several tables are applied
together: a folder is changed through one commit of the journal of
``chiso.storage.journal``, a database in one transaction.  Before writing, the
difference with what is stored is counted, which is also what ``--dry-run`` shows.
Callers go through :mod:`chiso.storage.writer`, not a target directly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb

from chiso.domain.records import KEYS, TABLES, ColumnType
from chiso.storage.journal import commit, pending_path, recover, writer
from chiso.storage.source import DataSource
from chiso.storage.store import file_list, table_files

__all__ = [
    "Diff",
    "FolderTarget",
    "Staged",
    "Target",
    "compute_diff",
    "new_part_paths",
    "open_target",
]

SQL_TYPES = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.NUMBER: "DOUBLE PRECISION",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.TIMESTAMP: "TIMESTAMP",
    ColumnType.DATE: "DATE",
}
SAMPLE = 20
#: Keys ``TK-<unit>-<yyyymm>-<n>`` of rows expanded from aggregate statistics: one group
#: per unit and month, replaced as a whole when the statistics are imported again.
GROUP_PATTERN = r"^(TK-.+-[0-9]{6})-[0-9]+$"


def stale_sql(table: str, existing: str, incoming: str, group: str) -> str:
    """Keys of ``existing`` rows in a group of ``incoming`` but not in ``incoming``.

    ``group`` is an SQL expression of ``COLUMN`` giving its group (dialect-specific).
    """
    key = q(KEYS[table][0])
    grouped = group.replace("COLUMN", key)
    return (
        f"SELECT {key} FROM {existing} WHERE {grouped} IN "
        f"(SELECT {grouped} FROM {incoming} WHERE {grouped} <> '') "
        f"AND {key} NOT IN (SELECT {key} FROM {incoming})"
    )


def work_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for import work, with bounded memory (it spills to disk)."""
    con = duckdb.connect(config={"memory_limit": "512MB", "threads": 2})
    return con


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Diff:
    """What applying the incoming rows changes."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0  # rows of a replaced group (statistics) that the new data no longer has
    columns: dict[str, int] = field(default_factory=dict)  # column → rows where it changes
    samples: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # key, col, old, new

    @property
    def writes(self) -> int:
        """Rows that would be written or removed."""
        return self.new + self.changed + self.deleted


def _diff_sql(table: str, existing: str, incoming: str) -> tuple[str, str, str]:
    keys = KEYS[table]
    on = " AND ".join(f"e.{q(k)} = i.{q(k)}" for k in keys)
    cols = [c for c in TABLES[table] if c not in keys]
    differs = " OR ".join(f"e.{q(c)} IS DISTINCT FROM i.{q(c)}" for c in cols) or "FALSE"
    per_column = ", ".join(
        f"sum(CASE WHEN e.{q(c)} IS DISTINCT FROM i.{q(c)} THEN 1 ELSE 0 END)" for c in cols
    )
    counts = (
        f"SELECT count(*) FILTER (WHERE e.{q(keys[0])} IS NULL), "
        f"count(*) FILTER (WHERE e.{q(keys[0])} IS NOT NULL AND ({differs})), "
        f"count(*) FILTER (WHERE e.{q(keys[0])} IS NOT NULL AND NOT ({differs})) "
        f"FROM {incoming} i LEFT JOIN {existing} e ON {on}"
    )
    by_column = f"SELECT {per_column} FROM {incoming} i JOIN {existing} e ON {on}"
    sample_cols = ", ".join(f"e.{q(c)}, i.{q(c)}" for c in cols)
    sample = (
        f"SELECT i.{q(keys[0])}, {sample_cols} FROM {incoming} i JOIN {existing} e ON {on} "
        f"WHERE {differs} ORDER BY i.{q(keys[0])} LIMIT {SAMPLE}"
    )
    return counts, by_column, sample


def compute_diff(con: Any, table: str, existing: str, incoming: str) -> Diff:
    """Count new, changed and unchanged rows (works on DuckDB and PostgreSQL)."""
    counts, by_column, sample = _diff_sql(table, existing, incoming)
    new, changed, unchanged = con.execute(counts).fetchone()
    diff = Diff(int(new or 0), int(changed or 0), int(unchanged or 0))
    if diff.changed:
        cols = [c for c in TABLES[table] if c not in KEYS[table]]
        per = con.execute(by_column).fetchone()
        diff.columns = {c: int(n) for c, n in zip(cols, per, strict=True) if n}
        for row in con.execute(sample).fetchall():
            for j, c in enumerate(cols):
                old, new_value = row[1 + 2 * j], row[2 + 2 * j]
                if old != new_value:
                    diff.samples.append((str(row[0]), c, old, new_value))
    return diff


@dataclass(frozen=True)
class Staged:
    """Rows of one table staged as canonical Parquet, to be merged by key.

    ``incoming`` is one Parquet file or a folder of Parquet parts (one schema).  With
    ``replace_groups``, stored rows whose key shares a group with an incoming key (see
    :data:`GROUP_PATTERN`) and that the incoming rows lack are removed.  ``movable``: the
    files are this commit's own, in the canonical Arrow schema with one row per key, so a
    data folder on the same file system may take them in by renaming instead of copying.
    """

    table: str
    incoming: Path
    replace_groups: bool = False
    movable: bool = False

    @property
    def files(self) -> list[Path]:
        """The staged Parquet files."""
        if self.incoming.is_dir():
            return sorted(self.incoming.glob("*.parquet"))
        return [self.incoming]


class Target(Protocol):
    """Where an import writes."""

    @property
    def description(self) -> str:
        """A folder path or URL for messages."""

    def apply_all(self, staged: Sequence[Staged], *, dry_run: bool) -> dict[str, Diff]:
        """Merge every staged table at once, all or nothing; the difference per table."""

    def stage_parent(self) -> Path | None:
        """Folder for staging files (same file system as the data when possible)."""

    def close(self) -> None:
        """Release the connection, if any."""


def _canonical_select(con: duckdb.DuckDBPyConnection, table: str, source: str) -> str:
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    exprs = [
        f"CAST({q(c)} AS {SQL_TYPES[t]}) AS {q(c)}"
        if c in present
        else f"CAST(NULL AS {SQL_TYPES[t]}) AS {q(c)}"
        for c, t in TABLES[table].items()
    ]
    return f"(SELECT {', '.join(exprs)} FROM {source})"


def read_canonical(folder: Path, table: str) -> Any:
    """A whole (small) canonical table of a folder as a pyarrow table, or ``None``.

    The same rows and types as ``engine.store.open_folder`` gives (pinned by
    ``tests/chiso/storage/test_read_canonical.py``), but for a folder without dossiers yet,
    in the memory-bounded connection and with the cast :meth:`FolderTarget.apply` uses.
    """
    found = table_files(folder, table)
    if found is None:
        return None
    con = work_connection()
    try:
        return con.sql(f"SELECT * FROM {_source_sql(con, table, *found)}").to_arrow_table()
    finally:
        con.close()


def _source_sql(con: duckdb.DuckDBPyConnection, table: str, kind: str, paths: list[Path]) -> str:
    reader = "read_parquet" if kind == "parquet" else "read_csv"
    options = "" if kind == "parquet" else ", all_varchar=true, header=true"
    return _canonical_select(con, table, f"{reader}({file_list(paths)}{options})")


_DUCKDB_GROUP = "regexp_extract(COLUMN, '" + GROUP_PATTERN + "', 1)"
_CSV_OUT = "(FORMAT csv, HEADER, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S', DATEFORMAT '%Y-%m-%d')"


@dataclass
class FolderTarget:
    """A data folder of canonical CSV/Parquet files (``docs/data-model.md``)."""

    folder: Path

    def __post_init__(self) -> None:
        # resolved once where the target is made (absolute, symlinks followed)
        self.folder = Path(self.folder).expanduser().resolve()

    @property
    def description(self) -> str:
        """The folder path."""
        return str(self.folder)

    def stage_parent(self) -> Path | None:
        """Stage inside the folder (same file system: renames stay cheap)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        recover(self.folder)
        return self.folder

    def close(self) -> None:
        """Nothing to release: every apply opens and closes its own DuckDB."""

    def apply_all(self, staged: Sequence[Staged], *, dry_run: bool) -> dict[str, Diff]:
        """Merge by key; rewrite only the files that hold changed keys, every table in one
        journal commit (as the folder's only writer: :func:`chiso.storage.journal.writer`)."""
        with writer(self.folder):
            change = _Change()
            try:
                diffs = {
                    item.table: self._apply(item, dry_run=dry_run, change=change) for item in staged
                }
            except BaseException:
                change.discard()  # nothing committed: the folder is as it was
                raise
            if change.renames or change.deletes:
                commit(self.folder, renames=change.renames, deletes=change.deletes)
            return diffs

    def _apply(self, item: Staged, *, dry_run: bool, change: _Change) -> Diff:
        table, files = item.table, item.files
        # staged inside this folder: renaming them is a move on one file system
        movable = item.movable and all(f.is_relative_to(self.folder) for f in files)
        con = work_connection()
        try:
            con.execute(f"CREATE VIEW incoming AS SELECT * FROM read_parquet({file_list(files)})")
            found = table_files(self.folder, table)
            if found is None:
                diff = Diff(new=count_rows(con, "incoming"))
                if not dry_run and diff.writes:
                    if movable:
                        self._move_new(table, files, change)
                    else:
                        self._write_new_file(con, table, change)
                return diff
            kind, paths = found
            con.execute(f"CREATE VIEW existing AS {_source_sql(con, table, kind, paths)}")
            keys = ", ".join(q(k) for k in KEYS[table])
            removed = f"SELECT {keys} FROM incoming"
            diff = compute_diff(con, table, "existing", "incoming")
            if item.replace_groups:
                stale = stale_sql(table, "existing", "incoming", _DUCKDB_GROUP)
                diff.deleted = count_rows(con, f"({stale})")
                removed += f" UNION ALL {stale}"
            con.execute(f"CREATE VIEW removed AS {removed}")
            if not dry_run and diff.writes:
                if (self.folder / table).is_dir():
                    upgrade = bool(_missing_but_filled(con, table, paths[0]))
                    same = not upgrade and _same_layout(con, paths[0], files[0])
                    moved = files if movable and same else None
                    self._write_parts(con, table, paths, change, moved, upgrade=upgrade)
                else:
                    self._rewrite_file(con, table, kind, paths[0], change)
            return diff
        finally:
            con.close()

    def _write_new_file(self, con: duckdb.DuckDBPyConnection, table: str, change: _Change) -> None:
        pending = change.rename(self.folder / f"{table}.parquet")
        con.execute(f"COPY incoming TO '{pending}' (FORMAT parquet)")

    def _move_new(self, table: str, files: list[Path], change: _Change) -> None:
        """A table the folder lacks: the staged files become it (one file: ``<table>.parquet``,
        several: the parts of ``<table>/``)."""
        if len(files) == 1:
            change.move(files[0], self.folder / f"{table}.parquet")
            return
        for source, final in zip(
            files, new_part_paths(self.folder / table, "import", len(files)), strict=True
        ):
            change.move(source, final)

    def _rewrite_file(
        self, con: duckdb.DuckDBPyConnection, table: str, kind: str, path: Path, change: _Change
    ) -> None:
        keys = ", ".join(q(k) for k in KEYS[table])
        pending = change.rename(path)
        form = "(FORMAT parquet)" if kind == "parquet" else _CSV_OUT
        con.execute(
            f"COPY (SELECT * FROM existing ANTI JOIN removed USING ({keys}) "
            f"UNION ALL SELECT * FROM incoming) TO '{pending}' {form}"
        )

    def _write_parts(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        parts: list[Path],
        change: _Change,
        moved: list[Path] | None,
        *,
        upgrade: bool = False,
    ) -> None:
        """Rewrite the parts holding replaced keys; the incoming rows become new parts:
        ``moved`` (staged in the parts' layout) by renaming, else written anew.

        ``upgrade``: the parts lack a canonical column the incoming rows fill (a folder
        written before the column existed): every part is rewritten in the canonical
        layout, so that the column is kept and the parts still share one layout.
        """
        keys = ", ".join(q(k) for k in KEYS[table])
        touched = (
            [(str(p),) for p in parts]
            if upgrade
            else con.execute(
                f"SELECT DISTINCT filename FROM read_parquet({file_list(parts)}, filename=true) "
                f"SEMI JOIN removed USING ({keys})"
            ).fetchall()
        )
        for (name,) in touched:
            part = Path(name)
            kept = f"(SELECT * FROM read_parquet('{part}') ANTI JOIN removed USING ({keys}))"
            if upgrade:
                kept = _canonical_select(con, table, kept)
            if count_rows(con, kept) == 0:
                change.deletes.append(part)
                continue
            con.execute(f"COPY {kept} TO '{change.rename(part)}' (FORMAT parquet)")
        if moved is not None:
            finals = new_part_paths(self.folder / table, "import", len(moved))
            for source, final in zip(moved, finals, strict=True):
                change.move(source, final)
            return
        query = (
            f"SELECT * FROM {_canonical_select(con, table, 'incoming')}"
            if upgrade
            else f"SELECT {_part_select(con, table, parts[0])} FROM incoming"
        )
        pending = change.rename(new_part_paths(self.folder / table, "import", 1)[0])
        con.execute(f"COPY ({query}) TO '{pending}' (FORMAT parquet)")


@dataclass
class _Change:
    """The renames and deletions of one journal commit, gathered over several tables."""

    renames: list[tuple[Path, Path]] = field(default_factory=list)
    deletes: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # pending files this change wrote

    def rename(self, final: Path) -> Path:
        """The pending file to write that becomes ``final`` at the commit."""
        pending = pending_path(final)
        self.renames.append((pending, final))
        self.written.append(pending)
        return pending

    def move(self, staged: Path, final: Path) -> None:
        """Staged file ``staged`` becomes ``final`` at the commit (no copy)."""
        self.renames.append((staged, final))

    def discard(self) -> None:
        """Remove the pending files written so far (before the commit point only); staged
        files stay their stage's."""
        for pending in self.written:
            pending.unlink(missing_ok=True)


def new_part_paths(parts_dir: Path, prefix: str, count: int) -> list[Path]:
    """``count`` part names no file has yet: ``<prefix>-<stamp>-<pid>-<n>.parquet``.

    The counter keeps two writes of one process in the same second apart (a second merge
    must add its part, not replace the first one's).
    """
    stamp = time.strftime("%Y%m%dT%H%M%S")
    names: list[Path] = []
    n = 0
    while len(names) < count:
        path = parts_dir / f"{prefix}-{stamp}-{os.getpid()}-{n:04d}.parquet"
        if not path.exists():
            names.append(path)
        n += 1
    return names


def _same_layout(con: duckdb.DuckDBPyConnection, part: Path, staged: Path) -> bool:
    """Whether a staged file has the column names, types and order of a stored part
    (readers of a folder's parts need one schema)."""

    def layout(path: Path) -> list[tuple[str, str]]:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
        return [(str(row[0]), str(row[1])) for row in described]

    return layout(part) == layout(staged)


def _missing_but_filled(con: duckdb.DuckDBPyConnection, table: str, part: Path) -> list[str]:
    """Canonical columns a stored part lacks and some incoming row fills."""
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{part}')").fetchall()
    present = {str(row[0]) for row in described}
    missing = [c for c in TABLES[table] if c not in present]
    if not missing:
        return []
    counts = con.execute(f"SELECT {', '.join(f'count({q(c)})' for c in missing)} FROM incoming")
    filled = counts.fetchone() or ()
    return [c for c, n in zip(missing, filled, strict=True) if n]


def _part_select(con: duckdb.DuckDBPyConnection, table: str, part: Path) -> str:
    """Columns in the order and types of the existing parts (readers need one schema)."""
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{part}')").fetchall()
    exprs = []
    for name, sql_type, *_ in described:
        if name in TABLES[table]:
            exprs.append(f"CAST({q(name)} AS {sql_type}) AS {q(name)}")
        else:
            exprs.append(f"CAST(NULL AS {sql_type}) AS {q(name)}")
    return ", ".join(exprs)


def count_rows(con: Any, relation: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {relation}").fetchone()
    return int(row[0]) if row else 0


def open_target(into: str | DataSource) -> Target:
    """A folder path or a database URL (``duckdb:///file.duckdb``, ``postgresql://…``)."""
    source = DataSource.parse(into)
    if source.folder is not None:
        return FolderTarget(source.folder)
    from chiso.storage.sql import SqlTarget

    return SqlTarget.connect(source.text)
