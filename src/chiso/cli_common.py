"""What every ``chiso`` command module shares: the error edge and opening data.

Commands live in ``cli.py`` and in ``cli_*.py`` modules registered at the end of
``cli.py``; they all translate :class:`~chiso.errors.ChisoError` through
:func:`handle_errors`, the CLI's one edge.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from chiso.errors import ChisoError, InternalError

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


def open_data(data: str, backend: str) -> Any:
    """Open a data folder (CSV/Parquet) or a database URL on the chosen backend."""
    from chiso.engine.store import open_database, open_folder

    if "://" in data:
        return open_database(data, backend)  # type: ignore[arg-type]
    return open_folder(Path(data), backend)  # type: ignore[arg-type]
