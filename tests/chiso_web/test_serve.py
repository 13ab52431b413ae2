"""``chiso serve`` end to end: strict settings at start, then a real server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHISO = str(Path(sys.executable).with_name("chiso"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    return {**env, "CHISO_NOW": "2026-10-29T09:00", "CHISO_WORKER": "0", **extra}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_bad_setting_stops_serve_with_one_sentence(tmp_path: Path, web_data: Path) -> None:
    answer = subprocess.run(
        [CHISO, "serve", "--data", str(web_data), "--home", str(tmp_path)],
        env=_env(tmp_path, CHISO_LOGIN_ATTEMPTS="many"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 2
    assert "CHISO_LOGIN_ATTEMPTS='many' is not a positive whole number" in answer.stderr
    assert "Traceback" not in answer.stderr


def test_serve_migrates_prints_the_accounts_and_answers(tmp_path: Path, web_data: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [
            CHISO,
            "serve",
            "--data",
            str(web_data),
            "--home",
            str(tmp_path / "home"),
            "--port",
            str(port),
            "--demo-accounts",
        ],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = _get_when_up(f"http://127.0.0.1:{port}/cong-khai/", server)
        assert "Kết quả" in body
        assert (tmp_path / "home" / "site.sqlite3").exists()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "quantri" in output


def _get_when_up(url: str, server: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server stopped: {server.stdout.read() if server.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return str(answer.read().decode("utf-8"))
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within 90 s")
