"""Import into a database: DuckDB file or PostgreSQL, in one transaction.

The canonical table is created if absent; incoming rows are loaded into a
temporary table, compared, and merged with ``DELETE`` + ``INSERT`` by key inside
one transaction, so a killed import leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from chiso.domain.records import KEYS, TABLES
from chiso.errors import BackendError
from chiso.i18n import _
from chiso.storage.targets import (
    GROUP_PATTERN,
    SQL_TYPES,
    Diff,
    Staged,
    compute_diff,
    q,
    stale_sql,
)

__all__ = ["SqlTarget"]

_COPY_BATCH = 50_000
_GROUP = {
    "duckdb": "regexp_extract(COLUMN, '" + GROUP_PATTERN + "', 1)",
    "postgres": "coalesce(substring(COLUMN from '" + GROUP_PATTERN + "'), '')",
}


@dataclass
class SqlTarget:
    """A database URL: ``duckdb:///path.duckdb`` or ``postgresql://user@host/db``."""

    url: str
    con: Any
    kind: str

    @classmethod
    def connect(cls, url: str) -> SqlTarget:
        """Open a connection (PostgreSQL through psycopg, DuckDB in-process)."""
        try:
            if url.startswith(("postgresql://", "postgres://")):
                import psycopg

                return cls(url, psycopg.connect(url, autocommit=False), "postgres")
            if url.startswith("duckdb://"):
                import duckdb

                path = url.removeprefix("duckdb://").removeprefix("/") or ":memory:"
                path = "/" + path if url.startswith("duckdb:///") else path
                return cls(url, duckdb.connect(path), "duckdb")
        except Exception as exc:  # the drivers' own connection errors
            raise BackendError(
                _("cannot open {url} ({exc})").format(url=url, exc=exc),
                hint=_("check the URL and that the server runs"),
            ) from None
        raise BackendError(
            _("unsupported database URL “{url}”").format(url=url),
            hint=_("use duckdb:///path/file.duckdb or postgresql://user@host:5432/db"),
        )

    @property
    def description(self) -> str:
        """The URL."""
        return self.url

    def stage_parent(self) -> Path | None:
        """Stage in the system temporary folder."""
        return None

    def apply_all(self, staged: Sequence[Staged], *, dry_run: bool) -> dict[str, Diff]:
        """Create, load, compare and merge every table in one transaction (rolled back on
        dry runs and on any failure)."""
        con = self.con
        try:
            if self.kind == "duckdb":
                con.execute("BEGIN TRANSACTION")
            diffs = {
                item.table: self._merge(
                    item.table, item.files, dry_run=dry_run, replace_groups=item.replace_groups
                )
                for item in staged
            }
            if dry_run:
                con.rollback() if self.kind == "postgres" else con.execute("ROLLBACK")
            else:
                con.commit() if self.kind == "postgres" else con.execute("COMMIT")
            return diffs
        except Exception:
            con.rollback() if self.kind == "postgres" else con.execute("ROLLBACK")
            raise

    def _merge(
        self, table: str, incoming: list[Path], *, dry_run: bool, replace_groups: bool
    ) -> Diff:
        """Create, load, compare and merge one table inside the open transaction."""
        con = self.con
        columns = TABLES[table]
        ddl = ", ".join(f"{q(c)} {SQL_TYPES[t]}" for c, t in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {q(table)} ({ddl})")
        self._add_new_columns(table)
        con.execute(f"CREATE TEMP TABLE chiso_incoming ({ddl})")
        self._load(incoming, list(columns))
        diff = compute_diff(con, table, q(table), "chiso_incoming")
        if replace_groups:
            group = _GROUP[self.kind]
            stale = stale_sql(table, q(table), "chiso_incoming", group)
            row = con.execute(f"SELECT count(*) FROM ({stale}) s").fetchone()
            diff.deleted = int(row[0]) if row else 0
            if not dry_run and diff.deleted:
                key = q(KEYS[table][0])
                con.execute(f"DELETE FROM {q(table)} WHERE {key} IN ({stale})")
        if not dry_run and diff.writes:
            keys = " AND ".join(f"t.{q(k)} = i.{q(k)}" for k in KEYS[table])
            con.execute(
                f"DELETE FROM {q(table)} t WHERE EXISTS "
                f"(SELECT 1 FROM chiso_incoming i WHERE {keys})"
            )
            names = ", ".join(q(c) for c in columns)
            con.execute(f"INSERT INTO {q(table)} ({names}) SELECT {names} FROM chiso_incoming")
        con.execute("DROP TABLE chiso_incoming")
        return diff

    def _add_new_columns(self, table: str) -> None:
        """Add the canonical columns a table made by an earlier chiso lacks (optional ones,
        such as ``dossiers.receiving_point``); their stored rows read them as empty."""
        found = self.con.execute(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_schema = current_schema() AND table_name = '{table}'"
        ).fetchall()
        present = {str(row[0]) for row in found}
        for column, ctype in TABLES[table].items():
            if column not in present:
                self.con.execute(
                    f"ALTER TABLE {q(table)} ADD COLUMN {q(column)} {SQL_TYPES[ctype]}"
                )

    def _load(self, incoming: list[Path], columns: list[str]) -> None:
        if self.kind == "duckdb":
            self.con.execute(
                f"INSERT INTO chiso_incoming SELECT {', '.join(q(c) for c in columns)} "
                f"FROM read_parquet(?)",
                [[str(path) for path in incoming]],
            )
            return
        names = ", ".join(q(c) for c in columns)
        with self.con.cursor() as cur, cur.copy(f"COPY chiso_incoming ({names}) FROM STDIN") as cp:
            for path in incoming:
                for batch in pq.ParquetFile(path).iter_batches(_COPY_BATCH, columns=columns):
                    for row in zip(*(batch.column(c).to_pylist() for c in columns), strict=True):
                        cp.write_row(row)

    def close(self) -> None:
        """Close the connection."""
        self.con.close()
