"""``chiso compact``: merge the small Parquet parts of a chunked table (``docs/cli.md``)."""

from __future__ import annotations

from pathlib import Path

import click

from chiso.api import _
from chiso.errors import UserError

__all__ = ["compact"]


@click.command("compact")
@click.option("--data", required=True, help="data folder (not a database URL)")
@click.option("--table", default="dossiers", show_default=True, help="chunked table")
@click.option(
    "--min-parts",
    default=2,
    show_default=True,
    type=int,
    help="do nothing unless at least this many parts are small",
)
@click.option(
    "--small-mb",
    default=8.0,
    show_default=True,
    type=float,
    help="a part under this size (and under 1,000,000 rows) is small",
)
def compact(data: str, table: str, min_parts: int, small_mb: float) -> None:
    """Merge the small parts of TABLE into fewer, larger ones (all or nothing).

    Stop any other process writing to the folder first (the site compacts by itself).
    """
    from chiso.api import MB, CompactPolicy, DataSource, compact_table

    if not DataSource.parse(data).is_folder:
        raise UserError(
            _("{data} is a database URL; only a data folder has Parquet parts to compact").format(
                data=data
            ),
            hint=_("pass the data folder with --data DIR"),
        )
    policy = CompactPolicy(small_bytes=int(small_mb * MB), min_parts=min_parts)
    click.echo(compact_table(Path(data), table, policy=policy).summary())
