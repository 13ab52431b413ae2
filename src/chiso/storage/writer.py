"""The one path by which rows reach the canonical tables.

Every writer goes through here: the file imports (dossiers, statistics, reported and
portal scores), the site's pushed records, ratings and manual values.  Rows are first
staged as canonical Parquet, then :func:`commit_staged` merges every staged table by key
at once (:meth:`chiso.storage.targets.Target.apply_all`):

* all or nothing: a data folder changes by one journal commit
  (:mod:`chiso.storage.journal`), a database in one transaction; a failure or a kill
  before the commit point leaves the tables as they were, after it the next opening
  finishes the change;
* idempotent: writing the same rows again changes nothing (the difference is counted
  first; no difference, no write);
* one writer at a time per data folder (:func:`chiso.storage.journal.writer`).

Rows that chiso's own code produced are staged by :func:`commit_rows`; rows from outside
are checked first (``chiso.ingest.records`` for pushed records, the importers for files).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from chiso.errors import InternalError
from chiso.storage.journal import STAGE_PREFIX
from chiso.storage.rows import rows_table
from chiso.storage.source import DataSource
from chiso.storage.targets import Diff, Staged, Target, open_target

__all__ = ["Staged", "commit_rows", "commit_staged", "write_rows"]


def commit_staged(
    into: str | DataSource | Target, staged: Sequence[Staged], *, dry_run: bool = False
) -> dict[str, Diff]:
    """Merge the staged tables into ``into`` all or nothing; the difference per table.

    ``into`` is a data source (opened and closed here) or an already open target (left
    open).  ``dry_run``: count the difference only.
    """
    tables = [item.table for item in staged]
    if len(set(tables)) != len(tables):
        raise InternalError(f"a table is staged twice in one commit: {', '.join(tables)}")
    if isinstance(into, (str, DataSource)):
        target = open_target(into)
        try:
            return target.apply_all(staged, dry_run=dry_run)
        finally:
            target.close()
    return into.apply_all(staged, dry_run=dry_run)


def commit_rows(
    into: str | DataSource,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    dry_run: bool = False,
    replace_groups: Collection[str] = (),
) -> dict[str, Diff]:
    """Merge rows of one or more tables into ``into`` by key, all or nothing.

    The rows of every table are checked (:func:`chiso.storage.rows.rows_table`) before
    anything is written; ``replace_groups``: the tables whose stored groups the incoming
    rows replace (statistics).
    """
    arrows = {table: rows_table(table, rows) for table, rows in tables.items()}
    target = open_target(into)
    try:
        # named after this process: a staging folder left by a kill is removed when the
        # data folder is next opened (chiso.storage.journal.recover)
        prefix = f"{STAGE_PREFIX}{os.getpid()}-"
        with tempfile.TemporaryDirectory(dir=target.stage_parent(), prefix=prefix) as tmp:
            staged = []
            for table, arrow in arrows.items():
                path = Path(tmp) / f"{table}.parquet"
                pq.write_table(arrow, path)
                staged.append(Staged(table, path, replace_groups=table in replace_groups))
            return commit_staged(target, staged, dry_run=dry_run)
    finally:
        target.close()


def write_rows(
    into: str | DataSource,
    table: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    dry_run: bool = False,
    replace_groups: bool = False,
) -> Diff:
    """Merge ``rows`` into ``table`` of ``into`` (folder or database URL) by key."""
    groups = (table,) if replace_groups else ()
    return commit_rows(into, {table: rows}, dry_run=dry_run, replace_groups=groups)[table]
