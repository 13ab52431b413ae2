"""Every ``sh`` block of README.md and docs/*.md runs as typed, from a fresh folder.

The folder is a copy of the repository's tracked files (``git ls-files``) with ``.venv``
linked to the running virtual environment and ``.venv/bin`` first on ``PATH`` (docs pages
write ``chiso``, as with the venv activated).  README.md runs first (its ``make demo`` and
``chiso demo`` make ``.chiso-demo`` with the sample inputs of ``.chiso-demo/mau/``), then
each page of docs/ in name order, every block in order, in the same folder.

A command is one line (``\\`` continues it).  Its trailing comment may end in an
expectation after ``→``:

* ``→ TEXT`` — the command exits 0 and its output (stdout and stderr) contains TEXT;
* ``→ exit N`` or ``→ exit N, TEXT`` — it exits N (and prints TEXT);
* ``→ serves`` (optionally ``→ serves, TEXT``) — it serves until stopped (``make demo``,
  ``chiso serve``): started with ``DEMO_PORT`` and ``CHISO_PORT`` set to a free port,
  waited on until the sign-in page answers 200 (and shows TEXT), then stopped;
* ``→ not run: REASON`` — not run here, for the reason given (keep these few: a command
  that runs the test suite itself).

Without an expectation the command must exit 0.  Commands naming ``--backend postgres``
are skipped, with a note, when no PostgreSQL answers at 127.0.0.1:5432 (as the postgres
tier is).  Select these tests with ``-m docs`` (``make test-docs``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [
    page
    for page in [
        "README.md",
        *sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("docs/*.md")),
    ]
    if "\n```sh\n" in (REPO / page).read_text(encoding="utf-8")
]
COMMAND_SECONDS = 900
SERVE_SECONDS = 600

pytestmark = pytest.mark.docs


@dataclass(frozen=True)
class Command:
    """One command of a page: its text, where it is, and what it must do."""

    page: str
    line: int
    text: str
    exit_code: int = 0
    output: str | None = None
    serves: bool = False
    not_run: str | None = None

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.text}"


def _split_comment(line: str) -> tuple[str, str]:
    """``(command, comment)``: the first ``#`` outside quotes that starts a word."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1 :].strip()
    return line.rstrip(), ""


def _command(page: str, number: int, line: str) -> Command | None:
    text, comment = _split_comment(line)
    if not text:
        return None
    expectation = comment.rpartition("→")[2].strip() if "→" in comment else ""
    if expectation.startswith("not run:"):
        return Command(page, number, text, not_run=expectation[len("not run:") :].strip())
    if expectation.startswith("serves"):
        return Command(page, number, text, serves=True, output=_after(expectation, "serves"))
    found = re.match(r"exit (\d+)", expectation)
    if found:
        return Command(page, number, text, int(found.group(1)), _after(expectation, found[0]))
    return Command(page, number, text, output=expectation or None)


def _after(expectation: str, head: str) -> str | None:
    rest = expectation[len(head) :].lstrip(" ,")
    return rest or None


def commands_of(page: str) -> list[Command]:
    """The commands of every ``sh`` block of ``page``, in order."""
    lines = (REPO / page).read_text(encoding="utf-8").splitlines()
    out: list[Command] = []
    in_block, pending, start = False, "", 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("```"):
            in_block = line.strip() == "```sh"
            continue
        if not in_block:
            continue
        if pending or line.rstrip().endswith("\\"):
            start = start if pending else number
            pending += line.rstrip().removesuffix("\\") + " " if line.endswith("\\") else line
            if line.endswith("\\"):
                continue
            line, pending = pending, ""
        else:
            start = number
        command = _command(page, start, line.strip())
        if command is not None:
            out.append(command)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


class Workspace:
    """A fresh copy of the repository where the pages' commands run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        tracked = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True
        ).stdout.decode()
        for name in filter(None, tracked.split("\0")):
            source = REPO / name
            if source.is_file():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, root / name)
        venv = Path(sys.prefix)
        (root / ".venv").symlink_to(venv)
        stamp = venv / ".installed"
        if stamp.exists():  # `make install` finds the venv up to date, as after a real one
            old = stamp.stat().st_mtime - 60
            for name in ("pyproject.toml", "constraints.txt"):
                os.utime(root / name, (old, old))
        own = ("CHISO_", "DJANGO_", "PYTEST_", "VIRTUAL_ENV")  # the test run's, not a user's
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(own)}
        self.env["PATH"] = f"{root / '.venv' / 'bin'}{os.pathsep}{self.env.get('PATH', '')}"
        self.done: set[str] = set()

    def run_page(self, page: str) -> None:
        """Run every command of ``page``; fail on the first that does not do what it says."""
        commands = commands_of(page)
        assert commands, f"{page}: no sh block"
        for command in commands:
            if command.not_run:
                print(f"not run: {command} ({command.not_run})")
            elif "--backend postgres" in command.text and not postgres_up():
                print(f"skipped (no PostgreSQL at 127.0.0.1:5432): {command}")
            elif command.serves:
                self.serve(command)
            else:
                self.run(command)
        self.done.add(page)

    def run(self, command: Command) -> None:
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "-c", command.text], cwd=self.root, env=self.env, capture_output=True,
            text=True, timeout=COMMAND_SECONDS, check=False,
        )  # fmt: skip
        output = done.stdout + done.stderr
        print(f"{time.monotonic() - started:5.1f} s  exit {done.returncode}  {command}")
        assert done.returncode == command.exit_code, (
            f"{command}\nexited {done.returncode}, expected {command.exit_code}:\n{output[-3000:]}"
        )
        if command.output is not None:
            assert command.output in output, (
                f"{command}\nthe output lacks {command.output!r}:\n{output[-3000:]}"
            )

    def serve(self, command: Command) -> None:
        port = free_port()
        env = {**self.env, "DEMO_PORT": str(port), "CHISO_PORT": str(port)}
        log = self.root / f".serve-{command.line}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["bash", "-c", command.text], cwd=self.root, env=env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            body = self._wait(process, port, log, command)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        print(f"served on {port}: {command}")
        if command.output is not None:
            text = body + log.read_text(encoding="utf-8", errors="replace")
            assert command.output in text, (
                f"{command}\nneither the page nor the output shows {command.output!r}"
            )

    def _wait(
        self, process: subprocess.Popen[bytes], port: int, log: Path, command: Command
    ) -> str:
        deadline = time.monotonic() + SERVE_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                text = log.read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"{command}\nended (exit {process.returncode}) before serving:\n"
                            f"{text[-3000:]}")  # fmt: skip
            try:
                url = f"http://127.0.0.1:{port}/dang-nhap/"
                with urllib.request.urlopen(url, timeout=10) as response:
                    if response.status == 200:
                        return str(response.read().decode("utf-8"))
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(1)
        pytest.fail(f"{command}\ndid not answer on port {port} within {SERVE_SECONDS} s")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("fresh-clone")
    yield Workspace(root)


def test_the_expectation_syntax_is_read_as_documented() -> None:
    page = "x.md"
    assert _command(page, 1, "chiso a   # → Xuất sắc") == Command(
        page, 1, "chiso a", output="Xuất sắc"
    )
    assert _command(page, 1, "c 'a # b'  # note → exit 1, 1 error(s)") == Command(
        page, 1, "c 'a # b'", exit_code=1, output="1 error(s)"
    )
    assert _command(page, 1, "make demo  # site → serves").serves  # type: ignore[union-attr]
    assert _command(page, 1, "make test  # → not run: it is the suite").not_run  # type: ignore[union-attr]
    assert _command(page, 1, "# only a comment") is None


@pytest.mark.parametrize("page", PAGES)
def test_every_sh_command_of_the_page_runs_as_typed(workspace: Workspace, page: str) -> None:
    if page != "README.md" and "README.md" not in workspace.done:
        workspace.run_page("README.md")  # the pages use the demo folder README's flow makes
    workspace.run_page(page)
