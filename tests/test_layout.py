"""The test tree's own rules: pytest imports test modules by basename (no packages)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_basenames_are_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    clashes = sorted(name for name, n in names.items() if n > 1)
    assert not clashes, f"rename one of each: {clashes}"
