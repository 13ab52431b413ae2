"""The site's files readable by its own account only (docs/security.md, "Personal data").

Every entry point of the site (``chiso serve``, ``python -m chiso_web``, the WSGI module)
calls :func:`secure_process` once Django's settings are loaded: the process's umask makes
everything it creates private, ``CHISO_HOME`` becomes mode 700, and the SQLite site
database (which holds the live session keys) is created with mode 600 — or set to 600 when
an older version left it readable by every account (its ``-wal``/``-shm`` files take the
database file's mode).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from chiso.api import private_file, private_folder, private_umask

__all__ = ["secure_home", "secure_process"]


def secure_process() -> None:
    """Private umask, then :func:`secure_home` of the site's settings."""
    private_umask()
    secure_home(Path(settings.HOME), settings.DATABASES["default"])


def _on_disk(name: str) -> bool:
    """False for SQLite's in-memory databases (``:memory:``, Django's test database
    ``file:memorydb_default?mode=memory&cache=shared``), which have no file to protect."""
    return name != ":memory:" and not name.startswith("file:")


def secure_home(home: Path, database: Mapping[str, Any]) -> None:
    """``home`` 700; the SQLite site database, its journals and the secret key 600."""
    private_folder(home)
    if database["ENGINE"] == "django.db.backends.sqlite3" and _on_disk(str(database["NAME"])):
        path = Path(database["NAME"])
        private_file(path)
        for suffix in ("-wal", "-shm", "-journal"):
            journal = path.with_name(path.name + suffix)
            if journal.exists():
                private_file(journal)
    if (home / "secret_key").exists():
        private_file(home / "secret_key")
