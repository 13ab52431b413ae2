"""Start the real site (``chiso serve``) in a subprocess for the browser tests.

The server gets its own CHISO_HOME (SQLite site database, secret key, job files) and a
private copy of the session's synthetic province as CHISO_DATA, exactly as a newcomer's
``make demo`` runs it: waitress, WhiteNoise static files, the in-process report worker,
migrations at start.  Accounts are created with the site's own management shell.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from web_cast import ALICE_UNIT, BOB_UNIT, CHARLIE_UNIT

SITE_NOW = "2026-10-29T09:00"
START_SECONDS = 90.0
CAST = (("alice", "officer", ALICE_UNIT), ("bob", "officer", BOB_UNIT))
CAST += (("charlie", "officer", CHARLIE_UNIT), ("admin", "admin", ""))
CAST += (("leader", "leader", ""),)


def password_of(username: str) -> str:
    """The browser cast's password (same rule as the web test cast)."""
    return f"{username}-pw-2026"


@dataclass
class Site:
    """A running ``chiso serve``: address, folders, process and its log."""

    url: str
    data: Path
    home: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: Path
    stopped: bool = field(default=False)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server printed (for failure messages)."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def manage(self, *args: str, timeout: float = 120.0) -> str:
        """Run ``python -m chiso_web ARGS`` against this site's settings; its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "chiso_web", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"python -m chiso_web {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def stop(self) -> None:
        """Stop the server (SIGINT, as Ctrl+C would)."""
        if self.stopped:
            return
        self.stopped = True
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_env(data: Path, home: Path) -> dict[str, str]:
    """The server's environment: the test process's, minus its own chiso/Django settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHISO_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        CHISO_HOME=str(home),
        CHISO_DATA=str(data),
        CHISO_NOW=SITE_NOW,
        CHISO_REFRESH_SECONDS="1",
        CHISO_SECRET_KEY="browser-test-secret-key-0123456789-not-for-production",
        DJANGO_SETTINGS_MODULE="chiso_web.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


CREATE_CAST = """
from django.contrib.auth import get_user_model
from chiso_web.units.models import Membership
for name, role, unit in {cast!r}:
    user = get_user_model().objects.create_user(name, password=name + "-pw-2026")
    Membership.objects.create(user=user, role=role, unit_code=unit)
"""


def start_site(data: Path, home: Path) -> Site:
    """Migrate, create the cast, start ``chiso serve`` and wait until it answers."""
    env = site_env(data, home)
    port = free_port()
    log = home / "server.log"
    home.mkdir(parents=True, exist_ok=True)
    chiso = str(Path(sys.executable).with_name("chiso"))
    cmd = [chiso, "serve", "--data", str(data), "--home", str(home), "--port", str(port)]
    site = Site(f"http://127.0.0.1:{port}", data, home, env, None, log)  # type: ignore[arg-type]
    site.manage("migrate", "--no-input", "-v", "0")
    site.manage("shell", "-c", CREATE_CAST.format(cast=CAST))
    with log.open("wb") as out:
        site.process = subprocess.Popen(
            [*cmd, "--demo-accounts"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    _wait_until_up(site)
    return site


def _wait_until_up(site: Site) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if site.process.poll() is not None:
            raise RuntimeError(
                f"chiso serve exited ({site.process.returncode}):\n{site.log_tail()}"
            )
        try:
            with urllib.request.urlopen(f"{site.url}/dang-nhap/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    site.stop()
    raise RuntimeError(
        f"chiso serve did not answer within {START_SECONDS:.0f} s:\n{site.log_tail()}"
    )
