"""One cache level (ADR 0010): no paused garbage collector, no module memo keyed by
object identity anywhere in ``src/`` (an AST scan, so a comment or a string is no hit)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "src").rglob("*.py"))
LOOKUPS = {"get", "setdefault", "pop", "__getitem__", "__setitem__", "__contains__"}


def _calls_id(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "id"
        for n in ast.walk(node)
    )


def _module_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def identity_keys(source: str) -> list[int]:
    """Lines where a module-level name is indexed or looked up by a key holding ``id(…)``."""
    tree = ast.parse(source)
    kept = _module_names(tree)
    hits = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in kept
            and _calls_id(node.slice)
        ) or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOOKUPS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in kept
            and node.args
            and _calls_id(node.args[0])
        ):
            hits.append(node.lineno)
    return hits


def gc_pauses(source: str) -> list[int]:
    """Lines that call ``gc.disable`` or import ``disable`` from ``gc``."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "disable"
            and isinstance(node.value, ast.Name)
            and node.value.id == "gc"
        ):
            hits.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "gc":
            hits.extend(node.lineno for a in node.names if a.name == "disable")
    return hits


def test_the_scans_find_what_they_ban() -> None:
    memo = "_SEEN: dict[int, str] = {}\n\ndef f(x):\n    return _SEEN.get(id(x)) or _SEEN[id(x)]\n"
    assert identity_keys(memo) == [4, 4]
    assert identity_keys("def f(x):\n    seen = {}\n    return seen[id(x)]\n") == []
    assert gc_pauses("import gc\ngc.disable()\n") == [2]
    assert gc_pauses("from gc import disable\n") == [1]


@pytest.mark.parametrize(
    ("scan", "instead"),
    [
        (identity_keys, "key by content (functools.lru_cache on frozen values) or by version"),
        (gc_pauses, "the web process is multi-threaded: never gc.disable()"),
    ],
)
def test_src_has_no_identity_memo_and_no_gc_pause(
    scan: Callable[[str], list[int]], instead: str
) -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in SOURCES
        if (lines := scan(path.read_text(encoding="utf-8")))
    }
    assert found == {}, instead
