"""Documentation keeps up with the code: every command and formula function is documented."""

from __future__ import annotations

from pathlib import Path

from chiso.cli import cli
from chiso.spec.formula import AGGREGATES, ROW_FUNCTIONS
from chiso.spec.loader import shipped_ids

DOCS = Path("docs")


def test_every_cli_command_is_in_docs_cli_md() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"chiso {name}" not in text]
    assert not missing, f"undocumented commands: {missing}"


def test_every_formula_function_is_in_the_language_reference() -> None:
    text = (DOCS / "index-set-language.md").read_text(encoding="utf-8")
    missing = [f for f in [*AGGREGATES, *ROW_FUNCTIONS] if f"`{f}(" not in text]
    assert not missing, f"undocumented functions: {missing}"


def test_every_shipped_index_set_has_a_documentation_page() -> None:
    missing = [i for i in shipped_ids() if not (DOCS / "index-sets" / f"{i}.md").exists()]
    assert not missing, f"undocumented index sets: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    head = Path("README.md").read_text(encoding="utf-8")[:400]
    assert "make demo" in head and "make test" in head
