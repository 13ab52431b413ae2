"""The manifest of a backup: every file with its size and SHA-256, chiso's version, time.

A backup folder is complete only when ``manifest.json`` is in it (written last, by a
rename); a restore reads every listed file again and refuses the backup when one is
missing or differs (:func:`verify`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chiso import __version__
from chiso.errors import UserError
from chiso.i18n import _
from chiso.storage.private import private_file

__all__ = ["MANIFEST", "Entry", "Manifest", "copy_private", "hash_file", "verify"]

MANIFEST = "manifest.json"
FORMAT = "chiso-backup"
FORMAT_VERSION = 1
CHUNK = 1 << 20


@dataclass(frozen=True)
class Entry:
    """One file of a backup, by its path inside the backup folder."""

    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What a backup holds: the kind of data and site database, and every file."""

    data_kind: str  # folder, duckdb, postgresql
    site_kind: str  # sqlite, postgresql, none
    files: list[Entry] = field(default_factory=list)
    chiso_version: str = __version__
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def add(self, backup: Path, path: Path) -> None:
        """List ``path`` (a file written into ``backup``) with its size and hash."""
        self.files.append(
            Entry(str(path.relative_to(backup)), path.stat().st_size, hash_file(path))
        )

    @property
    def size(self) -> int:
        return sum(e.size for e in self.files)

    def write(self, backup: Path) -> None:
        """Write ``manifest.json`` last and atomically: the backup is complete from here."""
        body = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "chiso_version": self.chiso_version,
            "created_at": self.created_at,
            "data": {"kind": self.data_kind},
            "site": {"kind": self.site_kind},
            "files": [e.__dict__ for e in self.files],
        }
        partial = backup / f"{MANIFEST}.partial"
        private_file(partial).write_text(
            json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, backup / MANIFEST)

    @classmethod
    def read(cls, backup: Path) -> Manifest:
        """The manifest of ``backup``; a missing or unreadable one is a user error."""
        path = backup / MANIFEST
        if not path.is_file():
            raise UserError(
                _("{backup} is not a complete chiso backup ({manifest} is missing)").format(
                    backup=backup, manifest=MANIFEST
                ),
                hint=_("choose a folder that `chiso backup --to` made and finished"),
            )
        try:
            body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if body.get("format") != FORMAT:
                raise ValueError(body.get("format"))
            return cls(
                data_kind=str(body["data"]["kind"]),
                site_kind=str(body["site"]["kind"]),
                files=[
                    Entry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in body["files"]
                ],
                chiso_version=str(body["chiso_version"]),
                created_at=str(body["created_at"]),
            )
        except (ValueError, KeyError, TypeError) as err:
            raise UserError(
                _("{path} is damaged or not a chiso manifest ({err})").format(path=path, err=err),
                hint=_("use another backup; this one cannot be restored"),
            ) from None


def hash_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_private(source: Path, target: Path) -> None:
    """Copy a file (mode 600, synced), its folders made 700."""
    private_file(target)
    with source.open("rb") as src, target.open("wb") as out:
        while chunk := src.read(CHUNK):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def verify(backup: Path) -> Manifest:
    """The manifest of ``backup`` once every listed file is there with its size and hash;
    else a user error naming the first damaged file."""
    manifest = Manifest.read(backup)
    root = backup.resolve()
    for entry in manifest.files:
        path = (backup / entry.path).resolve()
        if root not in path.parents:
            raise UserError(
                _("the manifest of {backup} points outside the backup folder ({path})").format(
                    backup=backup, path=entry.path
                ),
                hint=_("this backup has been altered; use another one"),
            )
        if not path.is_file():
            raise UserError(
                _("the backup {backup} is damaged: the file {path} is missing").format(
                    backup=backup, path=entry.path
                ),
                hint=_("use another backup; do not restore from one missing files"),
            )
        if path.stat().st_size != entry.size or hash_file(path) != entry.sha256:
            raise UserError(
                _(
                    "the backup {backup} is damaged: the file {path} does not match its "
                    "SHA-256 checksum"
                ).format(backup=backup, path=entry.path),
                hint=_("use another backup; do not restore from a damaged one"),
            )
    return manifest
