"""Whether another process could take a data folder's writer lock right now."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("held")
else:
    print("free")
"""


def free_for_another_process(folder: Path) -> bool:
    """Try the folder's ``flock`` from a new process without waiting."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip() == "free"
