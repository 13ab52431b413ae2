"""Run a step that reads a user's file in a child process with a memory limit.

:func:`call` starts ``python -m chiso_web.jobs.child``, which limits its own private
memory to ``CHISO_WORKER_MEMORY_MB`` (``resource.setrlimit(RLIMIT_DATA)``) before it
imports anything heavy,
sets Django up with the parent's live settings (data source, home, site database, clock)
and calls ``target(payload)``.  The web process only waits: a crafted upload or report can
exhaust the child, never the site.  A child that ran out of memory or died is answered
with :class:`WorkerCrashed` — a Vietnamese reason, never retried.  A user error raised in
the child is raised again in the parent as the same :class:`~chiso.errors.UserError`.

At most :data:`SLOTS` children run at once per web process (the report checker is called
from requests: waitress's threads would otherwise multiply the limit).  Tests set
``JOBS_IN_PROCESS = True`` (their database is the test's transaction, which a child
cannot see); ``tests/chiso_web/imports/test_worker_process.py`` runs real children.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_lazy

from chiso.errors import UserError

#: Exit status of a child whose step raised MemoryError (chiso_web.jobs.child).
OUT_OF_MEMORY = 3
#: Signals that end a child killed for memory or broken by a file (abort, segfault, OOM).
CRASH_SIGNALS = {signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS}
SLOTS = threading.BoundedSemaphore(2)
CRASH_HINT = gettext_lazy(
    "Check the file (does Excel open it?), split it into smaller files or export it again "
    "from the one-stop system and send it again."
)


class WorkerCrashed(UserError):
    """The child process ran out of memory or died; the message says so in Vietnamese."""


def crash_reason(returncode: int) -> str:
    """Why a child ended with ``returncode`` (negative: the signal that killed it)."""
    limit = settings.CHISO["CHISO_WORKER_MEMORY_MB"]
    if returncode == OUT_OF_MEMORY or -returncode in CRASH_SIGNALS:
        return gettext(
            "the file is too large or broken: the check process went over its memory limit "
            "(%(limit)s MB, CHISO_WORKER_MEMORY_MB) or stopped abnormally"
        ) % {"limit": limit}
    return gettext("the check process stopped abnormally (exit code %(code)s)") % {
        "code": returncode
    }


def call(target: str, payload: dict[str, Any]) -> Any:
    """``target(payload)`` (a dotted function taking and returning JSON values) in a child
    process with the memory limit; its return value."""
    if getattr(settings, "JOBS_IN_PROCESS", False):
        function: Any = import_string(target)
        return function(json.loads(json.dumps(payload)))
    with SLOTS, tempfile.TemporaryDirectory(prefix="chiso-job-") as tmp:
        answer = Path(tmp) / "answer.json"
        request = {"target": target, "payload": payload, "answer": str(answer)}
        done = subprocess.run(  # our own interpreter and module
            [sys.executable, "-m", "chiso_web.jobs.child"],
            input=json.dumps(request).encode(),
            env=child_environment(),
            check=False,
        )
        if done.returncode != 0 or not answer.exists():
            raise WorkerCrashed(crash_reason(done.returncode), hint=str(CRASH_HINT))
        result: dict[str, Any] = json.loads(answer.read_text(encoding="utf-8"))
    if "user_error" in result:
        raise UserError(result["user_error"]["message"], hint=result["user_error"]["hint"])
    return result["value"]


def child_environment() -> dict[str, str]:
    """The parent's environment with its live settings: the data source, home, site
    database and clock a test or ``chiso serve`` set, and the parent's import path."""
    env = dict(os.environ)
    env["CHISO_DATA"] = str(settings.CHISO["CHISO_DATA"])
    env["CHISO_HOME"] = str(settings.HOME)
    env["CHISO_WORKER"] = "0"
    # reservations that would count against the limit without being used: per-thread
    # BLAS buffers, glibc's 64 MB arena per thread, Arrow's jemalloc pool (measured: the
    # child's private memory at start 1,266 MB -> 216 MB, docs/adr/0006)
    env.update(OPENBLAS_NUM_THREADS="1", MALLOC_ARENA_MAX="2", ARROW_DEFAULT_MEMORY_POOL="system")
    env["CHISO_WORKER_MEMORY_MB"] = str(settings.CHISO["CHISO_WORKER_MEMORY_MB"])
    fixed = settings.CHISO["CHISO_NOW"]
    if fixed is not None:
        env["CHISO_NOW"] = fixed.isoformat(timespec="minutes")
    url = database_url(connection.settings_dict)
    if url:
        env["CHISO_DATABASE_URL"] = url
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


def database_url(db: dict[str, Any]) -> str:
    """The site database the parent uses, as ``CHISO_DATABASE_URL`` ("" for an in-memory
    SQLite database, which no other process can open)."""
    name = str(db.get("NAME") or "")
    if db["ENGINE"].endswith("sqlite3"):
        return "" if not name or "memory" in name else f"sqlite:///{name}"
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{db.get('HOST') or ''}{port}/{quote(name, safe='')}"
