"""The command reference of ``docs/cli.md``: every command's ``--help``, rendered by cog.

``make docs`` runs cog over ``docs/cli.md``, whose cog block calls :func:`cli_reference`;
``tests/test_cli_reference.py`` fails when the file is out of date.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

#: Help is wrapped at a fixed width, so the text does not depend on the terminal.
WIDTH = 100


def command_contexts(command: click.Command, ctx: click.Context) -> Iterator[click.Context]:
    """``ctx`` and the contexts of every visible subcommand below it, depth first, by name."""
    yield ctx
    if not isinstance(command, click.Group):
        return
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        yield from command_contexts(sub, click.Context(sub, info_name=name, parent=ctx))


def cli_reference(command: click.Command | None = None, *, prog_name: str = "chiso") -> str:
    """Markdown: a heading and the ``--help`` text of ``command`` and each subcommand.

    Args:
        command: the root command (default: ``chiso.cli.cli``).
        prog_name: the name the usage lines start with.
    """
    if command is None:
        from chiso.cli import cli

        command = cli
    root = click.Context(
        command, info_name=prog_name, terminal_width=WIDTH, max_content_width=WIDTH
    )
    sections = []
    for ctx in command_contexts(command, root):
        help_text = ctx.command.get_help(ctx).rstrip()
        sections.append(f"### `{ctx.command_path}`\n\n```text\n{help_text}\n```\n")
    return "\n".join(sections)
