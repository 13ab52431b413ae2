"""All-or-nothing replacement of several files in a data folder.

An import writes its new files next to the old ones under a ``.pending`` name
(invisible to the store, which reads only ``*.parquet`` and ``*.csv``), then
writes a journal listing the renames and deletions, then performs them, then
removes the journal.  :func:`recover` runs before a folder is read or written:
a journal left by a killed process is replayed to the end (every step is
idempotent); pending files of a dead process without a journal are discarded, and so are the
staging folders (``.chiso-stage-<pid>-…``) of an import whose process died.  So a folder
holds either the old data or the new, never a mix, and no leftovers of a killed import.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from chiso.storage.private import FILE_MODE, private_folder

__all__ = ["JOURNAL", "STAGE_PREFIX", "commit", "pending_path", "recover", "writer"]

JOURNAL = ".chiso-journal.json"
PENDING = ".pending"
#: Staging folders of imports (``chiso.ingest.stage``): ``.chiso-stage-<pid>-<random>``.
STAGE_PREFIX = ".chiso-stage-"
#: A staging folder named without its process (made before names carried one) is removed
#: once it is this old: no import stages for a day.
UNOWNED_STAGE_SECONDS = 24 * 3600


@contextlib.contextmanager
def writer(folder: Path) -> Iterator[None]:
    """Be the folder's only writer meanwhile, across processes (an exclusive ``flock`` on
    the folder itself, no lock file): a change reads the parts it rewrites, so two writers
    at once (the site and ``chiso import`` or ``chiso compact``) could each drop the
    other's rows.  Waits for the writer under way; released when the process dies.

    Re-entrant in a thread: a caller may hold the folder across a check and the write
    that takes it again (the site checks an import's catalogue under it).  Other threads
    of the process wait as other processes do.
    """
    if not folder.exists():
        private_folder(folder)
    key = os.path.realpath(folder)
    with _REGISTRY:
        held = _HELD.setdefault(key, _Held())
    with held.lock:
        if held.depth == 0:
            held.fd = os.open(folder, os.O_RDONLY)
            try:
                fcntl.flock(held.fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(held.fd)
                raise
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0:
                os.close(held.fd)  # closing releases the lock


class _Held:
    """A folder's writer state in this process."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0
        self.fd = -1


_REGISTRY = threading.Lock()
_HELD: dict[str, _Held] = {}


def pending_path(target: Path) -> Path:
    """Where to write the future ``target``: ``<target>.<pid>.pending``."""
    return target.with_name(f"{target.name}.{os.getpid()}{PENDING}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replay(folder: Path, steps: Sequence[dict[str, str]]) -> None:
    for step in steps:
        if step["op"] == "rename":
            source, target = folder / step["from"], folder / step["to"]
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                # another process may have replayed the same step meanwhile
                with contextlib.suppress(FileNotFoundError):
                    os.replace(source, target)
        elif step["op"] == "delete":
            (folder / step["path"]).unlink(missing_ok=True)
    _fsync_dir(folder)


def commit(
    folder: Path, *, renames: Sequence[tuple[Path, Path]], deletes: Sequence[Path] = ()
) -> None:
    """Atomically move each pending file into place and delete obsolete files."""
    steps = [
        {"op": "rename", "from": str(a.relative_to(folder)), "to": str(b.relative_to(folder))}
        for a, b in renames
    ] + [{"op": "delete", "path": str(p.relative_to(folder))} for p in deletes]
    for source, _ in renames:
        os.chmod(source, FILE_MODE)  # data files are private (chiso.storage.private)
        with source.open("rb") as fh:
            os.fsync(fh.fileno())
    journal = folder / JOURNAL
    temporary = pending_path(journal)
    temporary.write_text(json.dumps(steps), encoding="utf-8")
    with temporary.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(temporary, journal)  # the commit point
    _fsync_dir(folder)
    _replay(folder, steps)
    journal.unlink(missing_ok=True)
    _fsync_dir(folder)


def recover(folder: Path) -> None:
    """Finish a committed change or discard an uncommitted one (see module docstring)."""
    if not folder.is_dir():
        return
    journal = folder / JOURNAL
    if journal.exists():
        try:
            steps = json.loads(journal.read_text(encoding="utf-8"))
        except FileNotFoundError:  # the writer finished meanwhile
            steps = []
        _replay(folder, steps)
        journal.unlink(missing_ok=True)
    _remove_dead_stages(folder)
    # os.walk skips a folder that vanishes while it looks (another process's staging
    # folder removed meanwhile) instead of failing the read that opened the folder
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(STAGE_PREFIX)]
        for name in files:
            pid = name.removesuffix(PENDING).rsplit(".", 1)[-1]
            if name.endswith(PENDING) and pid.isdigit() and not _alive(int(pid)):
                (Path(root) / name).unlink(missing_ok=True)


def _remove_dead_stages(folder: Path) -> None:
    """Remove the staging folders whose import process is gone (a killed import)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if not entry.name.startswith(STAGE_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        owner = entry.name.removeprefix(STAGE_PREFIX).split("-", 1)[0]
        if owner.isdigit() and entry.name.count("-") >= 3:
            dead = not _alive(int(owner))
        else:
            try:
                dead = time.time() - entry.stat().st_mtime > UNOWNED_STAGE_SECONDS
            except FileNotFoundError:
                continue
        if dead:
            shutil.rmtree(entry.path, ignore_errors=True)
