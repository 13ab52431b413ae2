"""Databases in a backup: SQLite through its online backup API, PostgreSQL through
``pg_dump``/``pg_restore``, a DuckDB data file through ``COPY FROM DATABASE``.

Each dump is a consistent snapshot while the site runs: SQLite's backup copies the pages
of one read transaction, ``pg_dump`` reads in one repeatable-read transaction, DuckDB's
copy reads one transaction of a read-only connection.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from chiso.errors import UserError
from chiso.i18n import _
from chiso.storage.private import private_file

__all__ = [
    "dump_duckdb",
    "dump_postgres",
    "dump_sqlite",
    "postgres_has_tables",
    "restore_postgres",
    "restore_sqlite",
    "sqlite_path",
]


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///path`` URL; None for any other URL."""
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    # sqlite:////abs/path (as the site writes its default) is the file /abs/path
    return Path("/" + unquote(parsed.path).lstrip("/"))


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def dump_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API)."""
    _private(target)
    _sqlite_copy(source, target)


def restore_sqlite(source: Path, target: Path) -> None:
    """Write the database ``source`` into ``target`` through the backup API (a running
    connection to ``target`` sees the old or the new content, never a half)."""
    private_file(target)
    _sqlite_copy(source, target)


def _sqlite_copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def dump_duckdb(url: str, target: Path) -> None:
    """Copy a DuckDB data file (``duckdb:///path``) into ``target``, one transaction."""
    import duckdb

    source = urlparse(url).path
    try:
        con = duckdb.connect(source, read_only=True)
    except duckdb.Error as err:
        raise UserError(
            _("cannot open {url} to back it up ({err})").format(url=url, err=err),
            hint=_("another process is writing this DuckDB file; stop the site and back up again"),
        ) from None
    try:
        name = con.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
        con.execute(f"ATTACH '{target}' AS chiso_backup")
        con.execute(f'COPY FROM DATABASE "{name}" TO chiso_backup')
        con.execute("DETACH chiso_backup")
    finally:
        con.close()
    os.chmod(target, 0o600)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UserError(
            _("the program {name} is needed to back up or restore a PostgreSQL database").format(
                name=name
            ),
            hint=_("install the package postgresql-client (apt install postgresql-client)"),
        )
    return found


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - pg_dump/pg_restore found on PATH, arguments ours
    if done.returncode != 0:
        raise UserError(
            _("{what} failed: {error}").format(
                what=what, error=done.stderr.strip() or done.returncode
            ),
            hint=_("check the address, the database name and the PostgreSQL account's rights"),
        )


def dump_postgres(url: str, target: Path) -> None:
    """``pg_dump`` of the whole database at ``url`` (custom format) into ``target``."""
    _private(target)
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), url],
        f"pg_dump {_safe(url)}",
    )


def restore_postgres(dump: Path, url: str, *, clean: bool) -> None:
    """``pg_restore`` a dump into the database at ``url`` (``clean``: drop what it holds
    of the same objects first)."""
    command = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run(
        [*command, "--dbname", url, str(dump)],
        _("pg_restore into {url}").format(url=_safe(url)),
    )


def postgres_has_tables(url: str) -> bool:
    """Whether the database at ``url`` holds any table outside the system schemas."""
    import psycopg

    with psycopg.connect(url) as con:
        row = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return bool(row and row[0])


def _safe(url: str) -> str:
    """A URL without its password (for messages)."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    return url.replace(f":{parsed.password}@", ":***@", 1)


def _private(path: Path) -> None:
    """Create ``path`` empty with mode 600 (its folder 700) before a tool writes it."""
    private_file(path).write_bytes(b"")
