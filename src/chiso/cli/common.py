"""What every ``chiso`` command module shares: the error edge, opening data and the clock.

Commands live in ``cli.py`` and in ``cli_*.py`` modules registered at the end of
``cli.py``; they all translate :class:`~chiso.errors.ChisoError` through
:func:`handle_errors`, the CLI's one edge.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

from chiso.errors import ChisoError, InternalError

if TYPE_CHECKING:
    from datetime import datetime

    from chiso.domain.periods import Period

F = TypeVar("F", bound=Callable[..., Any])
BACKEND_CHOICE = click.Choice(["duckdb", "postgres", "pyspark"])


def handle_errors(func: F) -> F:
    """Translate chiso errors into a message and exit code (the CLI's one edge)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InternalError:
            raise
        except ChisoError as exc:
            click.secho(f"Error: {exc.message}", fg="red", err=True)
            if exc.hint:
                click.echo(f"Hint: {exc.hint}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def open_data(data: str, backend: str, *, every_table_optional: bool = False) -> Any:
    """Open a data folder (CSV/Parquet) or a database URL on the chosen backend
    (``every_table_optional``: even without dossiers, for commands that say so)."""
    from chiso.domain.records import TABLES
    from chiso.storage.source import DataSource
    from chiso.storage.store import OPTIONAL_TABLES

    optional = tuple(TABLES) if every_table_optional else OPTIONAL_TABLES
    return DataSource.parse(data).open(backend, optional=optional)  # type: ignore[arg-type]


#: ``--as-of``: the clock of the commands whose answer depends on "now".
as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="INSTANT",
    help="the clock, ISO local time e.g. 2026-10-29T09:00 (default: CHISO_NOW, else now)",
)


def clock_at(as_of: str | None) -> datetime:
    """The clock of a command: ``--as-of``, else ``CHISO_NOW``, else the real time."""
    from chiso.domain.clock import now, parse_instant

    return now(parse_instant(as_of, name="--as-of") if as_of else None)


def period_at(text: str, as_of: str | None) -> Period:
    """A period read on the command's clock (a running one judged at it); one that has not
    begun by then is a user error (it has no data yet), not a ranking of empty scores."""
    from chiso.domain.periods import parse_period, require_started

    now = clock_at(as_of)
    return require_started(parse_period(text, now=now), now)
