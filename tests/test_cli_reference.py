"""docs/cli.md's command reference is generated from the code (cog) and kept up to date."""

from __future__ import annotations

from pathlib import Path

import click
from cogapp import Cog

from chiso.cli import cli
from chiso.cli.reference import cli_reference, command_contexts

CLI_MD = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_docs_cli_md_is_what_make_docs_generates() -> None:
    code = Cog().main(["cog", "--check", "--diff", str(CLI_MD)])
    assert code == 0, "docs/cli.md is out of date: run `make docs` (the diff is above)"


def test_every_command_and_subcommand_has_its_help_in_docs_cli_md() -> None:
    text = CLI_MD.read_text(encoding="utf-8")
    root = click.Context(cli, info_name="chiso")
    paths = [ctx.command_path for ctx in command_contexts(cli, root)]
    assert "chiso import dossiers" in paths
    missing = [path for path in paths if f"### `{path}`\n" not in text]
    assert not missing, f"commands without a reference section: {missing}"


def test_the_reference_has_nested_commands_with_their_options_and_no_hidden_ones() -> None:
    @click.group()
    def tool() -> None:
        """A tool."""

    @tool.group()
    def data() -> None:
        """Data commands."""

    @data.command()
    @click.option("--into", required=True, help="where the rows go")
    def load(into: str) -> None:
        """Load rows."""

    @tool.command(hidden=True)
    def secret() -> None:
        """Not for users."""

    text = cli_reference(tool, prog_name="tool")
    assert [line for line in text.splitlines() if line.startswith("###")] == [
        "### `tool`",
        "### `tool data`",
        "### `tool data load`",
    ]
    assert "Usage: tool data load [OPTIONS]" in text
    assert "--into TEXT  where the rows go  [required]" in text
    assert "secret" not in text
