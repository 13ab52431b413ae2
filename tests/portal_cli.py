"""``chiso import portal`` and what it stored (``tests/chiso/portal``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from click.testing import CliRunner

from chiso.cli import cli


def import_portal(*args: str | Path) -> Any:
    """``chiso import portal`` with ``args``; the click result."""
    return CliRunner().invoke(cli, ["import", "portal", *map(str, args)])


def stored_portal_scores(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored portal scores by (unit, group)."""
    rel = duckdb.connect().sql(f"SELECT * FROM read_parquet('{folder / 'portal_scores.parquet'}')")
    columns = [c[0] for c in rel.description]
    rows = [dict(zip(columns, r, strict=True)) for r in rel.fetchall()]
    return {(r["unit_code"], r["group"]): r for r in rows}
