"""What every ``chiso`` command module shares: the error edge, opening data and the clock.

The root group and every subgroup are :class:`ChisoGroup`: its ``invoke`` translates
:class:`~chiso.errors.ChisoError` into a message and exit code, once, for every command
under it (the CLI's one edge); commands raise and never catch.  Every command it holds
shows its ``--help`` in the catalogue's language (:class:`HelpContext`); the help texts
are English ids listed for extraction in :mod:`chiso.cli.help_texts`.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from chiso.api import _
from chiso.errors import ChisoError, InternalError, UserError

if TYPE_CHECKING:
    from datetime import datetime

    from chiso.api import Period

BACKEND_CHOICE = click.Choice(["duckdb", "postgres", "pyspark"])


def help_id(text: str) -> str:
    """The catalogue id of a command's docstring or an option's help: as click shows it."""
    return inspect.cleandoc(text).partition("\f")[0]


@contextmanager
def translated_help(command: click.Command) -> Iterator[None]:
    """Within: ``command``'s help, its options' and its subcommands' in the current
    language (the English ids themselves with ``CHISO_LANG=en``), restored after."""
    saved: list[tuple[Any, str]] = []
    holders: list[Any] = [command, *command.params]
    if isinstance(command, click.Group):
        holders += command.commands.values()
    for holder in holders:
        text = getattr(holder, "help", None)
        if text:
            saved.append((holder, text))
            holder.help = _(help_id(text))
    try:
        yield
    finally:
        for holder, text in saved:
            holder.help = text


class HelpFormatter(click.HelpFormatter):
    """Click's formatter with its own words ("Usage:", "Options", "Commands",
    "default", "required") in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, its prefix translated."""
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        """A section heading, translated."""
        super().write_heading(_(heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """The option and command rows, click's ``[default: …]``/``[required]`` translated."""
        words = {"[default: ": _("[default: "), "[required]": _("[required]")}
        shown = []
        for term, text in rows:
            text = _(text)  # click's own rows: "Show this message and exit."
            for word, said in words.items():
                text = text.replace(word, said)
            shown.append((term, text))
        super().write_dl(shown, col_max, col_spacing)


class HelpContext(click.Context):
    """A context whose ``--help`` is in the current language (:func:`translated_help`)."""

    formatter_class = HelpFormatter

    def get_help(self) -> str:
        """The command's help, translated."""
        with translated_help(self.command):
            return super().get_help()


class ChisoGroup(click.Group):
    """A command group whose ``invoke`` translates chiso errors into a message on stderr
    and the error's exit code (the CLI's one edge), for its own callback and every command
    under it; an :class:`~chiso.errors.InternalError` stays a traceback (a bug to report)."""

    group_class = type  # click: subgroups made with ``@group.group()`` are ChisoGroups too
    context_class = HelpContext

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Register ``cmd``; its ``--help`` is then translated too (:class:`HelpContext`)."""
        cmd.context_class = HelpContext
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InternalError:
            raise
        except ChisoError as exc:
            click.secho(_("Error: {message}").format(message=exc.message), fg="red", err=True)
            if exc.hint:
                click.echo(_("Hint: {hint}").format(hint=exc.hint), err=True)
            sys.exit(exc.exit_code)


def open_data(data: str, backend: str, *, every_table_optional: bool = False) -> Any:
    """Open a data folder (CSV/Parquet) or a database URL on the chosen backend
    (``every_table_optional``: even without dossiers, for commands that say so)."""
    from chiso.api import OPTIONAL_TABLES, TABLES, DataSource

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
    from chiso.api import now, parse_instant

    return now(parse_instant(as_of, name="--as-of") if as_of else None)


def period_at(text: str, as_of: str | None) -> Period:
    """A period read on the command's clock (a running one judged at it); one that has not
    begun by then is a user error (it has no data yet), not a ranking of empty scores."""
    from chiso.api import parse_period, require_started

    now = clock_at(as_of)
    return require_started(parse_period(text, now=now), now)


def with_rounding(index_set: Any, rounding: str | None) -> Any:
    """``--rounding MODE:DECIMALS`` (``chiso score``, ``chiso report``) over the index set's own."""
    if rounding is None:
        return index_set
    from dataclasses import replace

    mode, _sep, decimals = rounding.partition(":")
    if mode not in ("truncate", "half_up") or not decimals.isdigit():
        raise UserError(
            _("bad --rounding “{rounding}”").format(rounding=rounding),
            hint=_("use truncate:2 or half_up:1"),
        )
    return replace(index_set, rounding_mode=mode, rounding_decimals=int(decimals))


def rows_written(diff: Any, target: str, *, dry_run: bool) -> str:
    """What an import of score rows wrote (or, ``dry_run``, would write) into ``target``."""
    text = (
        _(
            "Would write {new} new, {changed} changed, {unchanged} unchanged rows into "
            "{target}; nothing written (--dry-run)."
        )
        if dry_run
        else _("Written {new} new, {changed} changed, {unchanged} unchanged rows into {target}.")
    )
    return text.format(new=diff.new, changed=diff.changed, unchanged=diff.unchanged, target=target)
