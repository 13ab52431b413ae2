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


def test_the_help_texts_listed_for_the_catalogue_are_the_commands_own() -> None:
    """``chiso/cli/help_texts.py`` (``make docs``) lists every help text as an id."""
    import ast

    from chiso.cli.reference import HELP_TEXTS, help_ids

    tree = ast.parse(HELP_TEXTS.read_text(encoding="utf-8"))
    listed = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.args[0], ast.Constant)
    ]
    assert listed == help_ids(), "src/chiso/cli/help_texts.py is out of date: run `make docs`"


def test_help_is_vietnamese_and_english_when_asked() -> None:
    """Issue #15: ``--help`` speaks Vietnamese (click's own words too); docs/cli.md keeps
    the English ids, which ``CHISO_LANG=en`` prints."""
    from click.testing import CliRunner

    shown = CliRunner().invoke(cli, ["score", "--help"], env={"CHISO_LANG": None}).output
    assert shown.startswith("Cách dùng: cli score [OPTIONS]")
    assert "Chấm điểm, xếp hạng và xếp loại mọi đơn vị" in shown
    assert "Tùy chọn:" in shown and "[bắt buộc]" in shown and "[mặc định:" in shown
    assert "Hiện hướng dẫn này rồi thoát." in shown
    nested = CliRunner().invoke(cli, ["import", "dossiers", "--help"], env={"CHISO_LANG": None})
    assert "nhập các dòng hợp lệ, loại các dòng còn lại" in nested.output
    assert "Lệnh:" in CliRunner().invoke(cli, ["--help"], env={"CHISO_LANG": None}).output
    english = CliRunner().invoke(cli, ["score", "--help"], env={"CHISO_LANG": "en"}).output
    assert english.startswith("Usage: cli score [OPTIONS]")
    assert "Score, rank and classify every unit" in english and "[required]" in english
