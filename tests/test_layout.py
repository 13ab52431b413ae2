"""The test tree's own rules: pytest imports test modules by basename (no packages)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_basenames_are_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    clashes = sorted(name for name, n in names.items() if n > 1)
    assert not clashes, f"rename one of each: {clashes}"


SRC = TESTS.parent / "src"
#: Test directories that are not a source package: the browser tests (every page through
#: Chromium), the golden cases, the fixtures' files and stored snapshots.
NOT_MIRRORS = {"browser", "fixtures", "golden", "snapshots", "__pycache__"}


def _packages(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def test_tests_mirror_src() -> None:
    """``tests/chiso/engine/`` tests ``src/chiso/engine/``: every directory of tests under
    ``tests/chiso`` and ``tests/chiso_web`` is a package of the same name in ``src``."""
    strays = []
    for top in ("chiso", "chiso_web"):
        for folder in (TESTS / top).rglob("*"):
            if not folder.is_dir() or NOT_MIRRORS & set(folder.relative_to(TESTS).parts):
                continue
            source = SRC / folder.relative_to(TESTS)
            if not (source / "__init__.py").exists():
                strays.append(str(folder.relative_to(TESTS)))
    assert not strays, f"no package in src/ for: {strays}"


def test_a_subpackages_tests_live_in_its_folder() -> None:
    """A test module named after a subpackage (``test_ratings_kiosk.py`` for
    ``chiso_web.ratings``) lives in that subpackage's folder, not at the top."""
    misplaced = []
    for top in ("chiso", "chiso_web"):
        subpackages = _packages(SRC / top)
        for path in (TESTS / top).glob("test_*.py"):
            first = path.stem.removeprefix("test_").split("_")[0]
            if first in subpackages:
                misplaced.append(f"{path.relative_to(TESTS)} → {top}/{first}/")
    assert not misplaced, f"move: {misplaced}"


def test_no_test_module_imports_another() -> None:
    """Steps that tests of several modules use live in helper modules (``builders``,
    ``web_push``, ``web_imports``, ``golden/seed_scoring``…, on pytest's ``pythonpath``),
    never in a test module: importing one would run its tests' set-up and tie the tree's
    folders to ``pythonpath`` entries."""
    importing = re.compile(r"^\s*(?:from|import)\s+(test_\w+)", re.M)
    offenders = sorted(
        f"{path.relative_to(TESTS)} imports {name}"
        for path in TESTS.rglob("*.py")
        for name in importing.findall(path.read_text(encoding="utf-8"))
    )
    assert not offenders, f"move the shared steps into a helper module: {offenders}"
