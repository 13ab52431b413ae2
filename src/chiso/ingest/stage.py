"""Staging: valid rows go to Parquet parts on disk, then are checked as a whole.

Blocks are written as they are converted, so memory holds one block whatever the
file size.  When every file is read, DuckDB finds the record keys that appear
more than once with different data (all their rows are rejected) and collapses
exact repeats, producing the one ``incoming.parquet`` that targets apply.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from chiso.domain.records import KEYS, TABLES
from chiso.ingest.issues import RowIssue
from chiso.storage.journal import STAGE_PREFIX
from chiso.storage.targets import count_rows, q, work_connection

__all__ = ["Stage"]


class Stage:
    """A temporary folder of staged parts for one import of one table."""

    def __init__(self, table: str, *, parent: Path | None = None) -> None:
        """Create the staging folder (under ``parent`` or the system temp folder)."""
        self.table = table
        # the process id in the name: a folder left by a killed import is removed when
        # the data folder is next opened (chiso.storage.journal.recover)
        prefix = f"{STAGE_PREFIX}{os.getpid()}-"
        self.dir = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self.parts = 0
        self.rows = 0

    def add(self, block: pa.Table) -> None:
        """Write one block of valid rows."""
        if block.num_rows == 0:
            return
        pq.write_table(block, self.dir / f"part-{self.parts:06d}.parquet")
        self.parts += 1
        self.rows += block.num_rows

    def finish(self) -> tuple[Path | None, list[RowIssue], int]:
        """``(incoming file or None, conflicting-duplicate issues, exact repeats dropped)``."""
        if self.parts == 0:
            return None, [], 0
        keys = ", ".join(q(k) for k in KEYS[self.table])
        columns = ", ".join(q(c) for c in TABLES[self.table])
        con = work_connection()
        try:
            con.execute(
                f"CREATE VIEW staged AS SELECT * FROM read_parquet('{self.dir}/part-*.parquet')"
            )
            con.execute(
                f"CREATE TEMP TABLE repeated AS SELECT {keys}, "
                f"count(DISTINCT hash({columns})) > 1 AS conflicting "
                f"FROM staged GROUP BY {keys} HAVING count(*) > 1"
            )
            conflicts = con.execute(
                f"SELECT {keys} FROM repeated WHERE conflicting ORDER BY {keys}"
            ).fetchall()
            issues = self._conflict_issues(con, conflicts, keys)
            incoming = self.dir / "incoming.parquet"
            if count_rows(con, "repeated") == 0:  # the usual case: every key once
                con.execute(f"COPY (SELECT {columns} FROM staged) TO '{incoming}' (FORMAT parquet)")
            else:
                con.execute(
                    f"COPY (SELECT DISTINCT ON ({keys}) {columns} FROM staged ANTI JOIN "
                    f"(SELECT {keys} FROM repeated WHERE conflicting) USING ({keys}) "
                    f"ORDER BY {keys}, _file, _row) TO '{incoming}' (FORMAT parquet)"
                )
            total = con.execute("SELECT count(*) FROM staged").fetchone()
            kept = con.execute(f"SELECT count(*) FROM read_parquet('{incoming}')").fetchone()
        finally:
            con.close()
        assert total is not None and kept is not None
        repeats = int(total[0]) - int(kept[0]) - len(issues)
        return incoming, issues, max(repeats, 0)

    def _conflict_issues(
        self, con: duckdb.DuckDBPyConnection, conflicts: Sequence[tuple[object, ...]], keys: str
    ) -> list[RowIssue]:
        if not conflicts:
            return []
        key_names = KEYS[self.table]
        con.execute(
            "CREATE TEMP TABLE conflict_keys AS SELECT * FROM (VALUES "
            + ", ".join("(" + ", ".join("?" for _ in key_names) + ")" for _ in conflicts)
            + f") AS t({keys})",
            [v for row in conflicts for v in row],
        )
        rows = con.execute(
            f"SELECT {keys}, _file, _row FROM staged JOIN conflict_keys USING ({keys}) "
            f"ORDER BY {keys}, _file, _row"
        ).fetchall()
        places: dict[tuple[object, ...], list[str]] = {}
        for row in rows:
            places.setdefault(tuple(row[: len(key_names)]), []).append(f"{row[-2]} row {row[-1]}")
        issues = []
        for row in rows:
            key = tuple(row[: len(key_names)])
            others = ", ".join(p for p in places[key] if p != f"{row[-2]} row {row[-1]}")
            issues.append(
                RowIssue(
                    str(row[-2]),
                    int(row[-1]),
                    key_names[0],
                    str(key[0]),
                    f"the same {key_names[0]} appears with different data ({others})",
                    "keep one row per record, or correct the wrong one",
                )
            )
        return issues

    def close(self) -> None:
        """Remove the staging folder."""
        shutil.rmtree(self.dir, ignore_errors=True)
