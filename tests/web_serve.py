"""``chiso serve`` as a child process: its command, environment and a free port
(``tests/chiso_web/test_serve.py``, ``test_behind_proxy.py``)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

CHISO = str(Path(sys.executable).with_name("chiso"))


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``chiso serve`` child: none of ours, the site's clock, no worker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    return {**env, "CHISO_NOW": "2026-10-29T09:00", "CHISO_WORKER": "0", **extra}


def free_port() -> int:
    """A loopback port free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
