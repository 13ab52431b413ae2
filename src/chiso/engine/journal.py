"""All-or-nothing replacement of several files in a data folder.

An import writes its new files next to the old ones under a ``.pending`` name
(invisible to the store, which reads only ``*.parquet`` and ``*.csv``), then
writes a journal listing the renames and deletions, then performs them, then
removes the journal.  :func:`recover` runs before a folder is read or written:
a journal left by a killed process is replayed to the end (every step is
idempotent); pending files of a dead process without a journal are discarded.  So a folder holds
either the old data or the new, never a mix.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["JOURNAL", "commit", "pending_path", "recover", "writer"]

JOURNAL = ".chiso-journal.json"
PENDING = ".pending"


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
    folder.mkdir(parents=True, exist_ok=True)
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
    for leftover in folder.rglob(f"*{PENDING}"):
        pid = leftover.name.removesuffix(PENDING).rsplit(".", 1)[-1]
        if leftover.is_file() and pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)
