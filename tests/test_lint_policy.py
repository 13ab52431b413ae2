"""The lint policy: import contracts hold and `make lint` (what .ci/run runs) checks them."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def make_recipe(target: str) -> list[str]:
    """The command lines of a Makefile target (tab-indented lines after ``target:``)."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_every_import_contract_is_kept() -> None:
    code = lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True, no_logo=True)
    assert code == 0, "lint-imports found a broken contract (output above)"


def test_make_lint_checks_the_import_contracts() -> None:
    assert any("lint-imports" in line for line in make_recipe("lint"))
