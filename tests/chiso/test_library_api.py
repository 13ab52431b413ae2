"""``chiso.api``, the edges' one door: its table, its ``TYPE_CHECKING`` block and ``__all__``
name the same objects, every name resolves, importing it costs no library module, and the
import contract that keeps the edges behind it lists every other module of the library."""

from __future__ import annotations

import ast
import configparser
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import chiso
import chiso.api as api

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(api.__file__).read_text(encoding="utf-8")


def _type_checking_names() -> dict[str, str]:
    """The ``if TYPE_CHECKING:`` imports, each as the table writes it."""
    names: dict[str, str] = {}
    for node in ast.parse(SOURCE).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module
                for alias in stmt.names:
                    shown = alias.asname or alias.name
                    same = shown == alias.name
                    names[shown] = stmt.module if same else f"{stmt.module}:{alias.name}"
    return names


def test_table_type_checking_block_and_all_name_the_same_objects() -> None:
    assert _type_checking_names() == api._WHERE
    assert sorted(api.__all__) == sorted(api._WHERE)
    assert len(api.__all__) == len(set(api.__all__))
    table = [name for _, _, names in api._GROUPS for name in names]
    assert len(table) == len(set(table)), "a name in two groups"


def test_each_group_says_what_it_is_for() -> None:
    for title, purpose, names in api._GROUPS:
        assert title and purpose.endswith(".") and names


@pytest.mark.parametrize("name", sorted(api._WHERE))
def test_every_name_resolves_to_the_library_object(name: str) -> None:
    module, _, attribute = api._WHERE[name].partition(":")
    assert getattr(api, name) is getattr(importlib.import_module(module), attribute or name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="khong_co"):
        _ = api.khong_co
    assert "score" in dir(api)


def test_importing_the_door_imports_no_library_module() -> None:
    code = "import chiso.api, sys; print(sorted(m for m in sys.modules if m.startswith('chiso')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['chiso', 'chiso.api']"


def test_the_edges_contract_forbids_every_other_library_module() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    contract = config["importlinter:contract:edges-use-the-facade"]
    assert contract["source_modules"].split() == ["chiso.cli", "chiso_web"]
    forbidden = set(contract["forbidden_modules"].split())
    modules = {f"chiso.{m.name}" for m in pkgutil.iter_modules(chiso.__path__)}
    assert forbidden == modules - {"chiso.api", "chiso.errors", "chiso.cli"}
