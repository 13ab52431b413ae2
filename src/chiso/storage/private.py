"""Files only their owner reads: mode 600 for files, 700 for folders (docs/security.md).

The data, the site database, uploads, reports and backups hold personal data (dossier
codes, ratings, accounts, sessions); another account on the server must not read them.
Every chiso process sets :data:`UMASK` when it starts (the CLI's group, the site's entry
points), and the places that create such files also set the mode explicitly, so a program
that uses the library without the CLI gets the same modes.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["FILE_MODE", "FOLDER_MODE", "UMASK", "private_file", "private_folder", "private_umask"]

UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_umask() -> int:
    """Make every file and folder this process creates from now on private; the old mask."""
    return os.umask(UMASK)


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) with mode 700, or set 700 on it."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 600 if missing (its folder 700 if missing), else set
    mode 600 on it; an existing file's content is kept."""
    if not path.parent.exists():
        private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    os.chmod(path, FILE_MODE)
    return path
