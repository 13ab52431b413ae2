"""Staging: valid rows go to Parquet parts on disk, then are checked as a whole.

Blocks are written as they are converted, so memory holds one block whatever the
file size.  Each part holds the canonical columns only, in the canonical Arrow schema
(:func:`chiso.synth.schemas.arrow_schema`), exactly as a data folder's part: when every
record key appears once (the usual case) the parts themselves are what the target
applies, and a data folder takes them in by renaming (:class:`chiso.storage.targets.
FolderTarget`), without writing the rows again.  Where each row came from (``_file``,
``_row``) goes to a twin file beside each part, read only to name the rows of a problem.

When every file is read, DuckDB finds the record keys that appear more than once: those
with different data are rejected (all their rows), exact repeats are collapsed into one
``incoming.parquet``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from chiso.domain.records import KEYS, TABLES
from chiso.i18n import _
from chiso.ingest.issues import RowIssue
from chiso.storage.journal import STAGE_PREFIX
from chiso.storage.targets import count_rows, q, work_connection
from chiso.synth.schemas import arrow_schema

__all__ = ["PART_ROWS", "Stage"]

#: Rows per staged part (blocks are appended to a part as row groups): the size of the
#: parts compaction makes, so an imported part is never one compaction would merge.
PART_ROWS = 1_000_000
_PLACES = pa.schema([("_file", pa.string()), ("_row", pa.int64())])


class Stage:
    """A temporary folder of staged parts for one import of one table."""

    def __init__(self, table: str, *, parent: Path | None = None) -> None:
        """Create the staging folder (under ``parent`` or the system temp folder)."""
        self.table = table
        # the process id in the name: a folder left by a killed import is removed when
        # the data folder is next opened (chiso.storage.journal.recover)
        prefix = f"{STAGE_PREFIX}{os.getpid()}-"
        self.dir = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self.parts_dir = self.dir / "parts"
        self.places_dir = self.dir / "places"
        self.parts_dir.mkdir()
        self.places_dir.mkdir()
        self.schema = arrow_schema(table)
        self.parts = 0
        self.rows = 0
        self._writers: tuple[pq.ParquetWriter, pq.ParquetWriter] | None = None
        self._part_rows = 0

    def add(self, block: pa.Table) -> None:
        """Write one block of valid rows (canonical columns plus ``_file`` and ``_row``)."""
        if block.num_rows == 0:
            return
        if self._writers is None or self._part_rows >= PART_ROWS:
            self._close_writers()
            name = f"part-{self.parts:06d}.parquet"
            self._writers = (
                pq.ParquetWriter(self.parts_dir / name, self.schema),
                pq.ParquetWriter(self.places_dir / name, _PLACES),
            )
            self.parts += 1
            self._part_rows = 0
        rows, places = self._writers
        rows.write_table(block.select(self.schema.names).cast(self.schema))
        places.write_table(block.select(_PLACES.names).cast(_PLACES))
        self._part_rows += block.num_rows
        self.rows += block.num_rows

    def _close_writers(self) -> None:
        if self._writers is not None:
            for writer in self._writers:
                writer.close()
            self._writers = None

    def view(self, con: duckdb.DuckDBPyConnection, name: str = "staged") -> None:
        """Create view ``name`` of every staged row: the canonical columns, ``_file``, ``_row``."""
        self._close_writers()
        columns = ", ".join(f"r.{q(c)}" for c in self.schema.names)
        con.execute(
            f"CREATE VIEW {q(name)} AS SELECT {columns}, p._file, p._row "
            f"FROM read_parquet('{self.parts_dir}/*.parquet', filename=true, "
            "file_row_number=true) r "
            f"JOIN read_parquet('{self.places_dir}/*.parquet', filename=true, "
            "file_row_number=true) p "
            "ON parse_filename(r.filename) = parse_filename(p.filename) "
            "AND r.file_row_number = p.file_row_number"
        )

    def finish(self) -> tuple[Path | None, list[RowIssue], int]:
        """``(incoming, conflicting-duplicate issues, exact repeats dropped)``.

        ``incoming`` is the folder of staged parts when every key is there once, else one
        ``incoming.parquet`` with one row per key; ``None`` when no row is valid.
        """
        self._close_writers()
        if self.parts == 0:
            return None, [], 0
        keys = ", ".join(q(k) for k in KEYS[self.table])
        columns = ", ".join(q(c) for c in TABLES[self.table])
        con = work_connection()
        try:
            con.execute(
                f"CREATE TEMP TABLE repeated AS SELECT {keys} FROM "
                f"read_parquet('{self.parts_dir}/*.parquet') GROUP BY {keys} HAVING count(*) > 1"
            )
            if count_rows(con, "repeated") == 0:  # the usual case: every key once
                return self.parts_dir, [], 0
            self.view(con)
            con.execute(
                f"CREATE TEMP TABLE conflicting AS SELECT {keys} FROM staged "
                f"SEMI JOIN repeated USING ({keys}) GROUP BY {keys} "
                f"HAVING count(DISTINCT hash({columns})) > 1"
            )
            issues = self._conflict_issues(con, keys)
            incoming = self.dir / "incoming.parquet"
            con.execute(
                f"COPY (SELECT DISTINCT ON ({keys}) {columns} FROM staged ANTI JOIN "
                f"conflicting USING ({keys}) ORDER BY {keys}, _file, _row) "
                f"TO '{incoming}' (FORMAT parquet)"
            )
            kept = count_rows(con, f"read_parquet('{incoming}')")
        finally:
            con.close()
        repeats = self.rows - kept - len(issues)
        return incoming, issues, max(repeats, 0)

    def _conflict_issues(self, con: duckdb.DuckDBPyConnection, keys: str) -> list[RowIssue]:
        key_names = KEYS[self.table]
        rows: Sequence[tuple[Any, ...]] = con.execute(
            f"SELECT {keys}, _file, _row FROM staged SEMI JOIN conflicting USING ({keys}) "
            f"ORDER BY {keys}, _file, _row"
        ).fetchall()
        places: dict[tuple[object, ...], list[str]] = {}
        for row in rows:
            places.setdefault(tuple(row[: len(key_names)]), []).append(_place(row))
        issues = []
        for row in rows:
            key = tuple(row[: len(key_names)])
            others = ", ".join(p for p in places[key] if p != _place(row))
            issues.append(
                RowIssue(
                    str(row[-2]),
                    int(row[-1]),
                    key_names[0],
                    str(key[0]),
                    _("the same code appears with different data ({others})").format(others=others),
                    _("keep one row per record, or correct the wrong one"),
                )
            )
        return issues

    def close(self) -> None:
        """Remove the staging folder."""
        self._close_writers()
        shutil.rmtree(self.dir, ignore_errors=True)


def _place(row: Sequence[object]) -> str:
    """Where a staged row came from: its file and row number."""
    return _("{file} row {row}").format(file=row[-2], row=row[-1])
