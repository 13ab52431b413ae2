"""One lint policy: `make lint` (what .ci/run runs), its pre-commit twin, import contracts."""

from __future__ import annotations

from pathlib import Path

import yaml
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PATHS = {"src", "tests", "benchmarks"}  # make lint names them; the hooks select by `files`


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


def _hooks() -> list[dict[str, object]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_every_make_lint_command_has_a_pre_commit_hook_calling_the_same_tool() -> None:
    entries = [str(hook["entry"]).split() for hook in _hooks()]
    missing = []
    for line in make_recipe("lint"):
        # `$(VENV)/bin/ruff check src tests benchmarks` → `.venv/bin/ruff check`
        command = [w for w in line.replace("$(VENV)", ".venv").split() if w not in PATHS]
        if not any(entry[: len(command)] == command for entry in entries):
            missing.append(" ".join(command))
    assert not missing, f"make lint commands without a pre-commit hook: {missing}"


def test_pre_commit_checks_yaml_whitespace_file_ends_and_large_files() -> None:
    ids = {hook["id"] for hook in _hooks()}
    hygiene = {"check-yaml", "trailing-whitespace", "end-of-file-fixer", "check-added-large-files"}
    assert hygiene <= ids


def test_ci_does_not_need_pre_commit() -> None:
    assert "pre-commit" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
