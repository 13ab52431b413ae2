"""Merge the small Parquet parts of a chunked table into fewer, larger parts.

Every merge by key into a chunked table (``<folder>/dossiers/*.parquet``) adds one part
(``import-<stamp>-<pid>-<n>.parquet``, see :class:`chiso.storage.targets.FolderTarget`), so a
site receiving pushes all day ends with thousands of tiny parts that every query opens.
:func:`compact_table` concatenates the *small* parts (under
:attr:`CompactPolicy.small_bytes` and :attr:`CompactPolicy.part_rows`) into parts of at
most ``part_rows`` rows.  Parts hold disjoint keys, so concatenation keeps the set of rows;
each merged part keeps the Arrow schema (column order and types) of the parts it replaces
(parts of different schemas are never mixed).  Large parts are left alone.

The change goes through the journal (:func:`chiso.storage.journal.commit`): new parts are
written under pending names, then one commit renames them into place and deletes the
merged parts.  A process killed before the commit leaves pending files that the next
:func:`~chiso.storage.journal.recover` discards; killed after, the next recover finishes it.
Compacting again finds at most one small part per schema (the remainder) and does nothing.

The caller must be the folder's only writer while it runs (the site compacts under its
data service's write lock; from the command line, stop the site first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chiso.domain.records import TABLES
from chiso.errors import InternalError, UserError
from chiso.i18n import _
from chiso.storage.journal import commit, pending_path, recover, writer
from chiso.storage.targets import new_part_paths

__all__ = ["CompactPolicy", "Compaction", "compact_table", "count_small_parts"]

MB = 1024 * 1024
_COMPRESSION = "zstd"
_BATCH_ROWS = 64_000


@dataclass(frozen=True)
class CompactPolicy:
    """Which parts are small and how large the merged parts grow.

    A part is *small* when its file is under ``small_bytes`` **and** it holds fewer than
    ``part_rows`` rows (so a full merged part is never merged again).  Nothing is done
    unless at least ``min_parts`` parts are small.
    """

    small_bytes: int = 8 * MB
    part_rows: int = 1_000_000
    min_parts: int = 2

    def __post_init__(self) -> None:
        """Refuse values that cannot work (a user error: they come from options)."""
        if self.small_bytes < 1 or self.part_rows < 1:
            raise UserError(
                _("the small-part size and the rows per part must be positive"),
                hint=_("e.g. --small-mb 8"),
            )
        if self.min_parts < 2:
            raise UserError(
                _("--min-parts must be at least 2, not {min_parts}").format(
                    min_parts=self.min_parts
                ),
                hint=_("merging fewer than two parts changes nothing"),
            )


@dataclass(frozen=True)
class Compaction:
    """What a compaction did (``merged == 0``: nothing)."""

    table: str
    parts_before: int
    parts_after: int
    small_before: int
    merged: int
    written: int
    rows: int

    @property
    def changed(self) -> bool:
        """Whether any part was replaced."""
        return self.merged > 0

    def summary(self) -> str:
        """One line for the command line and the site's log."""
        rows = f"{self.rows:,} rows".replace(",", " ")
        if not self.changed:
            return (
                f"{self.table}: {self.parts_before} parts, {self.small_before} small; "
                f"nothing to compact ({rows})"
            )
        return (
            f"{self.table}: {self.parts_before} parts → {self.parts_after} "
            f"({self.merged} small parts merged into {self.written}); {rows}, unchanged"
        )


@dataclass(frozen=True)
class _Part:
    path: Path
    size: int
    rows: int
    schema: pa.Schema


def _parts_folder(folder: Path, table: str) -> Path:
    if not folder.is_dir():
        raise UserError(
            _("data folder “{folder}” does not exist").format(folder=str(folder)),
            hint=_("generate one with `chiso generate --out DIR`"),
        )
    if table not in TABLES:
        raise UserError(
            _("no canonical table “{table}”").format(table=table), hint=", ".join(TABLES)
        )
    return folder / table


def _under_bytes(parts_dir: Path, small_bytes: int) -> list[tuple[Path, int]]:
    out = []
    for path in sorted(parts_dir.glob("*.parquet")) if parts_dir.is_dir() else ():
        try:
            size = path.stat().st_size
        except FileNotFoundError:  # replaced while we looked
            continue
        if size < small_bytes:
            out.append((path, size))
    return out


def count_small_parts(folder: Path, table: str, *, small_bytes: int = 8 * MB) -> int:
    """How many parts of ``table`` are under ``small_bytes`` (only file sizes are read)."""
    return len(_under_bytes(_parts_folder(folder, table), small_bytes))


def _inventory(parts_dir: Path) -> list[_Part]:
    """Every part with its size, rows and schema (read from the Parquet footers)."""
    out = []
    for path, size in _under_bytes(parts_dir, small_bytes=2**63):
        meta = pq.read_metadata(path)
        out.append(_Part(path, size, meta.num_rows, meta.schema.to_arrow_schema()))
    return out


def _by_schema(parts: Sequence[_Part]) -> list[list[_Part]]:
    """Groups of parts with the same columns (names and types, in order), in name order."""
    groups: dict[tuple[tuple[str, str], ...], list[_Part]] = {}
    for part in parts:
        key = tuple((f.name, str(f.type)) for f in part.schema)
        groups.setdefault(key, []).append(part)
    return [group for group in groups.values() if len(group) > 1]


def _merged_schema(group: Sequence[_Part]) -> pa.Schema:
    """The group's columns; a column is nullable when it is in any part.

    Writers mark a column without nulls as required, so parts of one table differ there.
    """
    first = group[0].schema
    fields = [
        field.with_nullable(any(p.schema.field(i).nullable for p in group))
        for i, field in enumerate(first)
    ]
    return pa.schema(fields, metadata=first.metadata)


def _outputs(group: Sequence[_Part], part_rows: int) -> int:
    """How many merged parts the rows of ``group`` fill."""
    return -(-sum(p.rows for p in group) // part_rows)


def _copy_rows(group: Sequence[_Part], targets: Sequence[Path], part_rows: int) -> int:
    """Stream the rows of ``group`` into ``targets`` (``part_rows`` each); rows written."""
    schema = _merged_schema(group)
    outputs = iter(targets)
    writer: pq.ParquetWriter | None = None
    in_part = written = 0
    try:
        for part in group:
            for batch in pq.ParquetFile(part.path).iter_batches(batch_size=_BATCH_ROWS):
                while batch.num_rows:
                    if writer is None or in_part == part_rows:
                        if writer is not None:
                            writer.close()
                        writer = pq.ParquetWriter(next(outputs), schema, compression=_COMPRESSION)
                        in_part = 0
                    take = min(part_rows - in_part, batch.num_rows)
                    writer.write_batch(batch.slice(0, take).cast(schema))
                    in_part += take
                    written += take
                    batch = batch.slice(take)
    finally:
        if writer is not None:
            writer.close()
    return written


def compact_table(
    folder: Path, table: str = "dossiers", *, policy: CompactPolicy | None = None
) -> Compaction:
    """Merge the small parts of ``table`` in ``folder``, all or nothing (module docstring).

    Raises:
        UserError: ``folder`` is not a data folder or ``table`` no canonical table.

    Examples:
        >>> import tempfile
        >>> import pyarrow as pa, pyarrow.parquet as pq
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     parts = Path(tmp) / "ratings"
        ...     parts.mkdir()
        ...     for n in range(3):
        ...         pq.write_table(pa.table({"dossier_code": [f"A-{n}"]}), parts / f"p{n}.parquet")
        ...     done = compact_table(Path(tmp), "ratings")
        ...     (done.parts_before, done.parts_after, done.rows)
        (3, 1, 3)
    """
    policy = policy or CompactPolicy()
    parts_dir = _parts_folder(folder, table)
    with writer(folder):
        return _compact(folder, table, parts_dir, policy)


def _compact(folder: Path, table: str, parts_dir: Path, policy: CompactPolicy) -> Compaction:
    recover(folder)
    parts = _inventory(parts_dir)
    rows = sum(p.rows for p in parts)
    small = [p for p in parts if p.size < policy.small_bytes and p.rows < policy.part_rows]
    groups = _by_schema(small) if len(small) >= policy.min_parts else []
    if not groups:
        return Compaction(table, len(parts), len(parts), len(small), 0, 0, rows)
    renames = _write_merged(table, parts_dir, groups, policy.part_rows)
    merged = [p.path for group in groups for p in group]
    commit(folder, renames=renames, deletes=merged)
    after = len(parts) - len(merged) + len(renames)
    return Compaction(table, len(parts), after, len(small), len(merged), len(renames), rows)


def _write_merged(
    table: str, parts_dir: Path, groups: Sequence[Sequence[_Part]], part_rows: int
) -> list[tuple[Path, Path]]:
    """Write every group's merged parts under pending names; ``(pending, final)`` pairs.

    On any failure the pending files are removed (nothing is committed yet).
    """
    names = iter(new_part_paths(parts_dir, "compact", sum(_outputs(g, part_rows) for g in groups)))
    renames: list[tuple[Path, Path]] = []
    try:
        for group in groups:
            finals = [next(names) for _ in range(_outputs(group, part_rows))]
            pendings = [pending_path(p) for p in finals]
            renames += zip(pendings, finals, strict=True)
            if _copy_rows(group, pendings, part_rows) != sum(p.rows for p in group):
                raise InternalError(f"{table}: compaction wrote a different number of rows")
    except BaseException:
        for pending, _final in renames:
            pending.unlink(missing_ok=True)
        raise
    return renames
