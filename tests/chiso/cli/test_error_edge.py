"""The CLI's one error edge: every command turns a user error into a message, a hint and
the error's exit code, never a traceback; the ``chiso.cli`` package has no import cycle."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import grimp
import pytest
from click.testing import CliRunner

from chiso.cli import cli

MISSING = "khong-co-thu-muc-nay"  # a folder that does not exist (under tmp_path)

# One invocation per command that ends in a user error.  `{missing}` is a path that does
# not exist, `{file}` an existing file that is not what the command reads, `{tmp}` a fresh
# folder.  A new command fails `test_every_command_has_a_case` until it gets a line here.
CASES: dict[str, list[str]] = {
    "validate": ["{missing}/index_set.yaml"],
    "score": ["--data", "{missing}", "--period", "2026-10"],
    "explain": ["--data", "{missing}", "--period", "2026-10", "--unit", "x", "--indicator", "x"],
    "generate": ["--out", "{tmp}/gen", "--inject", "khong_co=0.1"],
    "demo": ["--dir", "{tmp}/demo", "--period", "tháng sau"],
    "bench": ["--dir", "{tmp}/bench", "--dossiers", "một triệu"],
    "import dossiers": ["{missing}/a.csv", "--into", "{tmp}/data"],
    "import procedures": ["{missing}/a.csv", "--into", "{tmp}/data"],
    "import units": ["{missing}/a.csv", "--into", "{tmp}/data"],
    "import petitions": ["{missing}/a.csv", "--into", "{tmp}/data"],
    "import ratings": ["{missing}/a.csv", "--into", "{tmp}/data"],
    "import statistics": ["{missing}/a.csv", "--into", "{tmp}/data", "--period", "2026-10"],
    "import scores": ["{missing}/a.xlsx", "--into", "{tmp}/data", "--index-set", "khong-co"],
    "import portal": ["{missing}/a.xlsx", "--into", "{tmp}/data"],
    "quality": ["--data", "{missing}", "--period", "2026-10"],
    "check-report": ["{missing}/bao-cao.docx"],
    "report": ["--data", "{missing}", "--unit", "x", "--period", "2026-10", "--out", "{tmp}/r"],
    "reconcile": ["--data", "{missing}", "--period", "2026-10"],
    "national": ["--data", "{missing}", "--period", "2026-10"],
    "spark-cluster start": ["--dir", "{tmp}/spark", "--workers", "0"],
    "spark-cluster stop": ["--dir", "{file_dir}"],
    "spark-cluster status": ["--dir", "{file_dir}"],
    "compact": ["--data", "{missing}"],
    "anomalies": ["--data", "{missing}", "--period", "2026-10"],
    "plan": ["--data", "{missing}", "--period", "2026-10", "--unit", "x"],
    "units": ["--province", "Tỉnh không có"],
    "forecast": ["--data", "{missing}", "--period", "2026-10"],
    "backup": ["--to", "{tmp}/backup", "--data", "{missing}", "--home", "{tmp}/home"],
    "restore": ["--from", "{missing}", "--data", "{tmp}/data", "--home", "{tmp}/home"],
}
# `chiso serve` configures Django for the process: its case runs in a child process.
IN_A_CHILD = {"serve"}


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


COMMANDS = dict(_commands(cli))


def test_every_command_has_a_case() -> None:
    """Each command with an input has a user-error case; one without any cannot err."""
    without_input = {path for path, c in COMMANDS.items() if not c.params}
    assert without_input == {"schema", "import profiles"}
    assert set(CASES) | IN_A_CHILD == set(COMMANDS) - without_input


def _args(path: str, tmp_path: Path) -> list[str]:
    file_dir = tmp_path / "spark-state"
    file_dir.mkdir()
    (file_dir / "cluster.json").write_text("không phải JSON", encoding="utf-8")
    values = {"missing": str(tmp_path / MISSING), "tmp": str(tmp_path), "file_dir": str(file_dir)}
    return [*path.split(), *(a.format(**values) for a in CASES[path])]


@pytest.mark.parametrize("path", sorted(CASES))
def test_a_user_error_is_a_message_and_exit_code_2(path: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, _args(path, tmp_path))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert [line for line in result.stderr.splitlines() if line.startswith("Lỗi: ")]
    assert "Traceback" not in result.output
    assert result.stdout.strip() == ""


def test_serve_with_a_bad_setting_is_a_message_and_exit_code_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    answer = subprocess.run(
        [sys.executable, "-m", "chiso.cli", "serve", "--home", str(tmp_path)],
        env={**env, "CHISO_LOGIN_ATTEMPTS": "many"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 2
    assert answer.stderr.startswith("Lỗi: ")
    assert "Traceback" not in answer.stderr


def test_the_cli_package_has_no_import_cycle() -> None:
    """No module of chiso.cli reaches the package root (whose group imports them all),
    and no two of its modules reach each other."""
    graph = grimp.build_graph("chiso", cache_dir=None)
    modules = sorted(m for m in graph.find_descendants("chiso.cli") if m != "chiso.cli.__main__")
    reads_the_root = {"chiso.cli.reference"}  # docs/cli.md's generator; the root never imports it
    for module in modules:
        if module not in reads_the_root:
            assert not graph.chain_exists(importer=module, imported="chiso.cli"), module
    cycles = [
        (a, b)
        for a in ["chiso.cli", *modules]
        for b in modules
        if a < b
        and graph.chain_exists(importer=a, imported=b)
        and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []


VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")
#: Commands whose errors are for whoever runs the Spark test cluster (developers).
FOR_DEVELOPERS = {"spark-cluster start", "spark-cluster stop", "spark-cluster status"}


@pytest.mark.parametrize("path", sorted(set(CASES) - FOR_DEVELOPERS))
def test_the_message_and_its_hint_are_vietnamese_and_english_when_asked(
    path: str, tmp_path: Path
) -> None:
    """Issue #15: the sentence and the hint speak Vietnamese (paths and typed values
    aside); ``CHISO_LANG=en`` gives the English ids."""
    args = _args(path, tmp_path)
    result = CliRunner().invoke(cli, args, env={"CHISO_LANG": None})
    lines = [line.replace(str(tmp_path), "") for line in result.stderr.splitlines()]
    message = next(line for line in lines if line.startswith("Lỗi: "))
    assert VIETNAMESE.search(message.removeprefix("Lỗi: ")), message
    hints = [line for line in lines if line.startswith("Gợi ý: ")]
    assert all(VIETNAMESE.search(h.removeprefix("Gợi ý: ")) for h in hints), hints
    english = CliRunner().invoke(cli, args, env={"CHISO_LANG": "en"})
    assert english.stderr.startswith("Error: "), english.stderr
