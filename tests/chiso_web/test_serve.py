"""``chiso serve`` end to end: strict settings at start, then a real server on loopback."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

from web_serve import CHISO, free_port, serve_env


def test_a_bad_setting_stops_serve_with_one_sentence(tmp_path: Path, web_data: Path) -> None:
    answer = subprocess.run(
        [CHISO, "serve", "--data", str(web_data), "--home", str(tmp_path)],
        env=serve_env(tmp_path, CHISO_LOGIN_ATTEMPTS="many"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 2
    assert "CHISO_LOGIN_ATTEMPTS='many' is not a positive whole number" in answer.stderr
    assert "Traceback" not in answer.stderr


def test_serve_migrates_prints_the_accounts_and_answers(tmp_path: Path, web_data: Path) -> None:
    port = free_port()
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
        env=serve_env(tmp_path),
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
